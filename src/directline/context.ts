/**
 * What the Direct Line handlers share: the token service, the conversations, the forwarder to the
 * bot, the rate limits, and the helpers that issue and check tokens. Made once by registerDirectLine.
 */
import { createHmac } from 'node:crypto';
import type { Request, Response } from 'restify';
import { AcademyError } from '../errors.js';
import { isRecord, readJsonBody } from '../http/index.js';
import type { ChatLearner } from '../identity/index.js';
import { Sealer } from '../identity/seal.js';
import { forwardKey } from '../security/localForward.js';
import { clientAddress, RateLimiter } from '../security/rateLimit.js';
import { type ChannelAccount, ConversationStore, type Conversation } from './conversations.js';
import { BotForwarder } from './forwarder.js';
import { bearerToken, type Log } from './http.js';
import { type IssuedToken, type TokenClaims, TokenService } from './tokens.js';
import type { DirectLineDeps } from './types.js';

export const CONNECTOR_PATH = '/directline/connector';
/** Body limits in bytes, by route. */
export const LIMITS = { token: 4 * 1024, start: 16 * 1024, userActivity: 64 * 1024, botActivity: 512 * 1024 } as const;

export interface DirectLineContext {
  readonly deps: DirectLineDeps;
  readonly log: Log;
  /** The serviceUrl given to the bot: `{selfBaseUrl}/directline/connector`. */
  readonly serviceUrl: string;
  readonly tokens: TokenService;
  readonly conversations: ConversationStore;
  readonly forwarder: BotForwarder;
  /** The bot's account in activities. */
  readonly bot: ChannelAccount;
  /** The user as the page sees it (its alias). */
  userAccount(c: Conversation): ChannelAccount;
  /** The user as the bot sees it (the learner). */
  learnerAccount(c: Conversation): ChannelAccount;
  /** A new conversation for the learner, under a fresh page alias. */
  newConversation(owner: { readonly learnerId: string; readonly lmsSession?: string }): Conversation;
  /** The token request's learner, counted against the rate limits. A client-chosen user id is refused. */
  requester(req: Request, res: Response): Promise<ChatLearner>;
  /** A genuine token whose conversation has gone: the conversation again, for the same learner. */
  recreate(req: Request, claims: TokenClaims): Conversation;
  issueFor(c: Conversation): IssuedToken;
  /** The token's claims, which must be for `conversationId` when one is given. */
  authorize(req: Request, conversationId?: string): TokenClaims;
}

export function directLineContext(deps: DirectLineDeps): DirectLineContext {
  const log: Log = deps.log ?? ((m) => console.warn(m));
  const selfBaseUrl = deps.selfBaseUrl.replace(/\/+$/, '');
  const tokens = new TokenService({ secret: deps.tokenSecret, clock: deps.clock, lifetimeSeconds: deps.tokenLifetimeSeconds });
  const conversations = new ConversationStore({
    clock: deps.clock,
    ids: deps.ids,
    maxConversations: deps.maxConversations,
    maxActivitiesPerConversation: deps.maxActivitiesPerConversation,
    idleExpiryMs: deps.conversationIdleMs,
  });
  const owners = new Sealer(deps.tokenSecret, 'directline-owner', deps.clock);
  const limits = deps.rateLimits ?? { perIp: 30, perLearner: 10 };
  const perIp = new RateLimiter(limits.perIp, 60_000, deps.clock);
  const perLearner = new RateLimiter(limits.perLearner, 60_000, deps.clock);
  const aliasKey = createHmac('sha256', deps.tokenSecret).update('directline-user-alias').digest();
  /** The page's user id in a conversation: unlinkable to the learner and to other conversations. */
  const aliasFor = (conversationId: string): string => `user_${createHmac('sha256', aliasKey).update(conversationId).digest('base64url').slice(0, 22)}`;
  const sealOwner = (c: Conversation): string => owners.seal({ l: c.learnerId, ...(c.lmsSession ? { s: c.lmsSession } : {}) }, 7 * 24 * 60 * 60);
  const openOwner = (sealed: string | undefined): { learnerId: string; lmsSession?: string } => {
    const p = owners.open(sealed);
    if (typeof p.l !== 'string' || !p.l) throw new AcademyError(401, 'Invalid token');
    return { learnerId: p.l, ...(typeof p.s === 'string' ? { lmsSession: p.s } : {}) };
  };
  const takeAddress = (req: Request) => perIp.take(clientAddress(req, limits.trustProxy === true), 'new chats from this address');

  return {
    deps,
    log,
    serviceUrl: `${selfBaseUrl}${CONNECTOR_PATH}`,
    tokens,
    conversations,
    forwarder: new BotForwarder(deps.botEndpoint, deps.botTimeoutMs ?? 30_000, log, forwardKey(deps.tokenSecret)),
    bot: { id: deps.botId ?? 'academy-bot', name: deps.botName ?? 'Digital Skills Academy', role: 'bot' },
    userAccount: (c) => ({ id: c.userId, role: 'user' }),
    learnerAccount: (c) => ({ id: c.learnerId, role: 'user' }),
    newConversation: (owner) => {
      const id = deps.ids.uuid();
      return conversations.create(aliasFor(id), id, owner);
    },
    requester: async (req, res) => {
      takeAddress(req);
      const body = await readJsonBody(req, LIMITS.token);
      if (isRecord(body) && ('userId' in body || 'user' in body)) throw new AcademyError(400, 'The academy chooses the learner id; send no userId', 'userId');
      const learner = deps.identity.learnerFor(req, res, isRecord(body) ? body.launch : undefined);
      perLearner.take(learner.learnerId, 'new chats for this learner');
      return learner;
    },
    recreate: (req, claims) => {
      takeAddress(req);
      const owner = openOwner(claims.owner);
      perLearner.take(owner.learnerId, 'new chats for this learner');
      return conversations.create(claims.userId, claims.conversationId, owner);
    },
    issueFor: (c) => tokens.issue(c.id, c.userId, sealOwner(c)),
    authorize: (req, conversationId) => {
      const claims = tokens.verify(bearerToken(req));
      if (conversationId !== undefined && claims.conversationId !== conversationId) {
        throw new AcademyError(403, 'Token is not valid for this conversation');
      }
      return claims;
    },
  };
}
