import { createHmac } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { AcademyError } from '../errors.js';
import type { ChatLearner } from '../identity/index.js';
import { Sealer } from '../identity/seal.js';
import type { Clock, IdGenerator } from '../ports.js';
import { forwardKey, FORWARD_HEADER, signForward } from '../security/localForward.js';
import { clientAddress, RateLimiter } from '../security/rateLimit.js';
import { type Activity, type ChannelAccount, ConversationStore, type Conversation, parseWatermark } from './conversations.js';
import { isRecord, readJsonBody, sendJson } from '../http/index.js';
import { bearerToken, type Log, queryParam, route } from './http.js';
import { type IssuedToken, type TokenClaims, TokenService } from './tokens.js';

/**
 * A Direct Line v3–compatible endpoint, so Bot Framework Web Chat runs against the academy with no
 * Azure: Web Chat polls `/v3/directline/...`; user activities are forwarded to the bot's own
 * `POST /api/messages` with a `serviceUrl` pointing back at the Bot Connector–compatible routes
 * under `/directline/connector`, where the bot's replies are appended for Web Chat to poll.
 *
 * With `azure` set, only `POST /api/directline/token` is registered: it exchanges the Direct Line
 * secret for a token from Azure Bot Service, and Web Chat talks to Azure directly.
 */

export const DEFAULT_AZURE_DIRECT_LINE_ENDPOINT = 'https://directline.botframework.com';
export const CONNECTOR_PATH = '/directline/connector';

export interface DirectLineDeps {
  /** The bot's messaging endpoint, e.g. http://localhost:3978/api/messages. */
  readonly botEndpoint: string;
  /** How the bot reaches this server, e.g. http://localhost:3978; the serviceUrl is under it. */
  readonly selfBaseUrl: string;
  /** HMAC key of the local Direct Line tokens (at least 16 bytes). */
  readonly tokenSecret: Buffer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The bot's id in activities; default "academy-bot". */
  readonly botId?: string;
  /** The bot's display name in activities; default "Digital Skills Academy". */
  readonly botName?: string;
  /** Set to use Azure Bot Service's Direct Line instead of the local one. */
  readonly azure?: { readonly secret: string; readonly endpoint?: string };
  /** Default 1800 (30 minutes). */
  readonly tokenLifetimeSeconds?: number;
  readonly maxConversations?: number;
  readonly maxActivitiesPerConversation?: number;
  readonly conversationIdleMs?: number;
  /** How long one delivery to the bot may take; default 30 s. */
  readonly botTimeoutMs?: number;
  /** Where failures (bot errors, Azure errors) are reported; default console.warn. */
  readonly log?: Log;
  /** Who a token is for: the learner cookie, or a signed LMS launch. The page never names a learner. */
  readonly identity: ChatIdentity;
  /** Tokens (each a new conversation) per minute, per IP address and per learner. */
  readonly rateLimits?: { readonly perIp: number; readonly perLearner: number; readonly trustProxy?: boolean };
}

/** Resolves the learner of a token request (and may set their cookie on the response). */
export interface ChatIdentity {
  learnerFor(req: Request, res: Response, launch: unknown): ChatLearner;
}

export interface DirectLine {
  readonly mode: 'local' | 'azure';
  /** The serviceUrl given to the bot: `{selfBaseUrl}/directline/connector`. */
  readonly serviceUrl: string;
  readonly conversations: ConversationStore;
  readonly tokens: TokenService;
  /** Origins the browser must reach besides the page's own: Azure's Direct Line in Azure mode (for the page's CSP connect-src). */
  readonly browserOrigins: readonly string[];
  /** Resolves once every activity forwarded to the bot so far has been delivered or has failed. */
  idle(): Promise<void>;
}

/** The body of `POST /api/directline/token` (no user id: Web Chat reads its alias from the token). */
export interface TokenResponse {
  readonly token: string;
  readonly conversationId: string;
  readonly expires_in: number;
  /** Present in Azure mode: the Direct Line base URL Web Chat must use. */
  readonly domain?: string;
}

const CLIENT_ACTIVITY_TYPES = new Set(['message', 'event', 'invoke', 'typing', 'messageReaction']);
const LIMITS = { token: 4 * 1024, start: 16 * 1024, userActivity: 64 * 1024, botActivity: 512 * 1024 } as const;

export function registerDirectLine(server: Server, deps: DirectLineDeps): DirectLine {
  const log: Log = deps.log ?? ((m) => console.warn(m));
  const botId = deps.botId ?? 'academy-bot';
  const botName = deps.botName ?? 'Digital Skills Academy';
  const selfBaseUrl = deps.selfBaseUrl.replace(/\/+$/, '');
  const serviceUrl = `${selfBaseUrl}${CONNECTOR_PATH}`;
  const tokens = new TokenService({ secret: deps.tokenSecret, clock: deps.clock, lifetimeSeconds: deps.tokenLifetimeSeconds });
  const conversations = new ConversationStore({
    clock: deps.clock,
    ids: deps.ids,
    maxConversations: deps.maxConversations,
    maxActivitiesPerConversation: deps.maxActivitiesPerConversation,
    idleExpiryMs: deps.conversationIdleMs,
  });
  const bot: ChannelAccount = { id: botId, name: botName, role: 'bot' };
  /** The user as the page sees it (its alias). */
  const userAccount = (c: Conversation): ChannelAccount => ({ id: c.userId, role: 'user' });
  /** The user as the bot sees it (the learner). */
  const learnerAccount = (c: Conversation): ChannelAccount => ({ id: c.learnerId, role: 'user' });
  const forwarder = new BotForwarder(deps.botEndpoint, deps.botTimeoutMs ?? 30_000, log, forwardKey(deps.tokenSecret));
  const owners = new Sealer(deps.tokenSecret, 'directline-owner', deps.clock);
  const limits = deps.rateLimits ?? { perIp: 30, perLearner: 10 };
  const perIp = new RateLimiter(limits.perIp, 60_000, deps.clock);
  const perLearner = new RateLimiter(limits.perLearner, 60_000, deps.clock);

  const aliasKey = createHmac('sha256', deps.tokenSecret).update('directline-user-alias').digest();
  /** The page's user id in a conversation: unlinkable to the learner and to other conversations. */
  const aliasFor = (conversationId: string): string => `user_${createHmac('sha256', aliasKey).update(conversationId).digest('base64url').slice(0, 22)}`;
  const newConversation = (owner: { readonly learnerId: string; readonly lmsSession?: string }): Conversation => {
    const id = deps.ids.uuid();
    return conversations.create(aliasFor(id), id, owner);
  };
  /** The token request's learner, counted against the rate limits. A client-chosen user id is refused. */
  const requester = async (req: Request, res: Response): Promise<ChatLearner> => {
    perIp.take(clientAddress(req, limits.trustProxy === true), 'new chats from this address');
    const body = await readJsonBody(req, LIMITS.token);
    if (isRecord(body) && ('userId' in body || 'user' in body)) throw new AcademyError(400, 'The academy chooses the learner id; send no userId', 'userId');
    const learner = deps.identity.learnerFor(req, res, isRecord(body) ? body.launch : undefined);
    perLearner.take(learner.learnerId, 'new chats for this learner');
    return learner;
  };
  const sealOwner = (c: Conversation): string => owners.seal({ l: c.learnerId, ...(c.lmsSession ? { s: c.lmsSession } : {}) }, 7 * 24 * 60 * 60);
  const openOwner = (sealed: string | undefined): { learnerId: string; lmsSession?: string } => {
    const p = owners.open(sealed);
    if (typeof p.l !== 'string' || !p.l) throw new AcademyError(401, 'Invalid token');
    return { learnerId: p.l, ...(typeof p.s === 'string' ? { lmsSession: p.s } : {}) };
  };
  const issueFor = (c: Conversation): IssuedToken => tokens.issue(c.id, c.userId, sealOwner(c));

  if (deps.azure) {
    const azure = { secret: deps.azure.secret, endpoint: (deps.azure.endpoint || DEFAULT_AZURE_DIRECT_LINE_ENDPOINT).replace(/\/+$/, '') };
    server.post(
      '/api/directline/token',
      route(log, async (req, res) => {
        const learner = await requester(req, res);
        sendJson(res, 200, await exchangeAzureSecret(azure, learner.learnerId, log));
      }),
    );
    return { mode: 'azure', serviceUrl, conversations, tokens, browserOrigins: [new URL(azure.endpoint).origin], idle: () => forwarder.idle() };
  }

  const tokenBody = (issued: IssuedToken) => ({ conversationId: issued.conversationId, token: issued.token, expires_in: issued.expiresIn });

  /** The token's claims, which must be for `conversationId` when one is given. */
  const authorize = (req: Request, conversationId?: string): TokenClaims => {
    const claims = tokens.verify(bearerToken(req));
    if (conversationId !== undefined && claims.conversationId !== conversationId) {
      throw new AcademyError(403, 'Token is not valid for this conversation');
    }
    return claims;
  };

  // --- the page's token endpoint ------------------------------------------------------------
  server.post(
    '/api/directline/token',
    route(log, async (req, res) => {
      const learner = await requester(req, res);
      const conversation = newConversation(learner);
      const issued = issueFor(conversation);
      const body: TokenResponse = { token: issued.token, conversationId: issued.conversationId, expires_in: issued.expiresIn };
      sendJson(res, 200, body);
    }),
  );

  // --- Direct Line v3 (what botframework-directlinejs calls) ---------------------------------
  server.post(
    '/v3/directline/conversations',
    route(log, async (req, res) => {
      const claims = authorize(req);
      const body = await readJsonBody(req, LIMITS.start);
      // A genuine token whose conversation has gone (idle expiry, restart with the same secret): start it again, for the same learner.
      const conversation = conversations.get(claims.conversationId) ?? recreate(req, claims);
      if (conversation.userId !== claims.userId) throw new AcademyError(403, 'Token is not valid for this conversation');
      const isNew = !conversation.started;
      if (isNew) {
        conversation.started = true;
        const locale = isRecord(body) && typeof body.locale === 'string' && body.locale.length <= 32 ? body.locale : undefined;
        if (locale) conversation.locale = locale;
        forwarder.enqueue(conversation.id, {
          type: 'conversationUpdate',
          id: `${conversation.id}|conversationUpdate`,
          timestamp: deps.clock.now().toISOString(),
          channelId: 'webchat',
          serviceUrl,
          from: learnerAccount(conversation),
          recipient: bot,
          conversation: { id: conversation.id },
          membersAdded: [{ id: bot.id, name: bot.name }, { id: conversation.learnerId }],
          ...(conversation.lmsSession ? { channelData: { lmsSession: conversation.lmsSession } } : {}),
          ...(locale ? { locale } : {}),
        });
      }
      sendJson(res, isNew ? 201 : 200, tokenBody(issueFor(conversation)));
    }),
  );

  function recreate(req: Request, claims: TokenClaims): Conversation {
    perIp.take(clientAddress(req, limits.trustProxy === true), 'new chats from this address');
    const owner = openOwner(claims.owner);
    perLearner.take(owner.learnerId, 'new chats for this learner');
    return conversations.create(claims.userId, claims.conversationId, owner);
  }

  server.get(
    '/v3/directline/conversations/:conversationId',
    route(log, async (req, res) => {
      const id = pathParam(req, 'conversationId');
      authorize(req, id);
      parseWatermark(queryParam(req, 'watermark'));
      const conversation = conversations.require(id);
      sendJson(res, 200, tokenBody(issueFor(conversation)));
    }),
  );

  server.get(
    '/v3/directline/conversations/:conversationId/activities',
    route(log, async (req, res) => {
      const id = pathParam(req, 'conversationId');
      authorize(req, id);
      const page = conversations.list(id, parseWatermark(queryParam(req, 'watermark')));
      sendJson(res, 200, page);
    }),
  );

  server.post(
    '/v3/directline/conversations/:conversationId/activities',
    route(log, async (req, res) => {
      const id = pathParam(req, 'conversationId');
      const claims = authorize(req, id);
      const body = await readJsonBody(req, LIMITS.userActivity);
      const conversation = conversations.require(id);
      if (!isRecord(body) || typeof body.type !== 'string' || !CLIENT_ACTIVITY_TYPES.has(body.type)) {
        throw new AcademyError(400, `An activity needs a type, one of ${[...CLIENT_ACTIVITY_TYPES].join(', ')}`, 'type');
      }
      const { id: _id, timestamp: _ts, from: _from, recipient: _to, conversation: _conv, serviceUrl: _su, channelId: _ch, channelData, ...rest } = body;
      const stored = conversations.append(id, {
        ...rest,
        type: body.type,
        channelId: 'webchat',
        from: { id: claims.userId, role: 'user' },
        recipient: bot,
        conversation: { id },
        ...withSession(channelData, conversation.lmsSession),
        ...(typeof rest.locale !== 'string' && conversation.locale ? { locale: conversation.locale } : {}),
      });
      // The bot sees the learner, never the page's alias.
      forwarder.enqueue(id, { ...stored, from: learnerAccount(conversation), serviceUrl });
      sendJson(res, 200, { id: stored.id });
    }),
  );

  server.post(
    '/v3/directline/tokens/refresh',
    route(log, async (req, res) => {
      const claims = authorize(req);
      sendJson(res, 200, tokenBody(issueFor(conversations.require(claims.conversationId))));
    }),
  );

  // --- Bot Connector (what the bot's ConnectorClient calls; serviceUrl = {selfBaseUrl}/directline/connector) ---
  const appendFromBot = async (req: Request, res: Response, replyTo?: string): Promise<void> => {
    const id = pathParam(req, 'conversationId');
    const body = await readJsonBody(req, LIMITS.botActivity);
    const conversation = conversations.require(id);
    const stored = conversations.append(id, botActivity(body, conversation, replyTo));
    sendJson(res, 200, { id: stored.id });
  };

  const botActivity = (body: unknown, conversation: Conversation, replyTo?: string): Activity => {
    if (!isRecord(body) || typeof body.type !== 'string' || body.type === '') {
      throw new AcademyError(400, 'An activity needs a type', 'type');
    }
    const { id: _id, timestamp: _ts, serviceUrl: _su, from, replyToId, recipient: _to, conversation: _c, channelId: _ch, ...rest } = body;
    const fromId = isRecord(from) && typeof from.id === 'string' && from.id ? from.id : bot.id;
    const fromName = isRecord(from) && typeof from.name === 'string' ? from.name : bot.name;
    // Web Chat holds back a reply whose replyToId it cannot find (5 s per activity), e.g. a greeting
    // replying to the conversationUpdate the client never sees; keep replyToId only when it can.
    const target = typeof replyToId === 'string' && replyToId ? replyToId : replyTo;
    const keepReplyTo = target !== undefined && conversations.hasActivity(conversation.id, target);
    return {
      ...rest,
      type: body.type,
      channelId: 'webchat',
      from: { id: fromId, name: fromName, role: 'bot' },
      recipient: userAccount(conversation),
      conversation: { id: conversation.id },
      ...(keepReplyTo ? { replyToId: target } : {}),
    };
  };

  /**
   * The connector routes are the bot's side: only a caller on this machine (the bot in this
   * process, through loopback) may post into a conversation as the bot.
   */
  const fromBot = (handler: (req: Request, res: Response) => Promise<void>) =>
    route(log, async (req, res) => {
      const address = req.socket.remoteAddress ?? '';
      if (!/^(127\.|::1$|::ffff:127\.)/.test(address)) throw new AcademyError(403, 'The connector routes answer only the bot on this machine', 'serviceUrl');
      await handler(req, res);
    });

  server.post(`${CONNECTOR_PATH}/v3/conversations/:conversationId/activities`, fromBot((req, res) => appendFromBot(req, res)));
  server.post(
    `${CONNECTOR_PATH}/v3/conversations/:conversationId/activities/:activityId`,
    fromBot((req, res) => appendFromBot(req, res, pathParam(req, 'activityId'))),
  );

  server.put(
    `${CONNECTOR_PATH}/v3/conversations/:conversationId/activities/:activityId`,
    fromBot(async (req, res) => {
      const id = pathParam(req, 'conversationId');
      const activityId = pathParam(req, 'activityId');
      const body = await readJsonBody(req, LIMITS.botActivity);
      const conversation = conversations.require(id);
      const stored = conversations.update(id, activityId, botActivity(body, conversation));
      sendJson(res, 200, { id: stored.id });
    }),
  );

  server.del(
    `${CONNECTOR_PATH}/v3/conversations/:conversationId/activities/:activityId`,
    fromBot(async (req, res) => {
      const id = pathParam(req, 'conversationId');
      conversations.require(id);
      conversations.deleteActivity(id, pathParam(req, 'activityId'));
      sendJson(res, 200, {});
    }),
  );

  server.get(
    `${CONNECTOR_PATH}/v3/conversations/:conversationId/members`,
    fromBot(async (req, res) => {
      const conversation = conversations.require(pathParam(req, 'conversationId'));
      sendJson(res, 200, [learnerAccount(conversation), bot]);
    }),
  );

  server.get(
    `${CONNECTOR_PATH}/v3/conversations/:conversationId/members/:memberId`,
    fromBot(async (req, res) => {
      const conversation = conversations.require(pathParam(req, 'conversationId'));
      const member = [learnerAccount(conversation), bot].find((m) => m.id === pathParam(req, 'memberId'));
      if (!member) throw new AcademyError(404, 'Member not found', 'memberId');
      sendJson(res, 200, member);
    }),
  );

  server.post(
    `${CONNECTOR_PATH}/v3/conversations`,
    fromBot(async (req, res) => {
      const body = await readJsonBody(req, LIMITS.botActivity);
      const members = isRecord(body) && Array.isArray(body.members) ? body.members : [];
      const first: unknown = members[0];
      if (!isRecord(first) || typeof first.id !== 'string' || !first.id) throw new AcademyError(400, 'A new conversation needs a member', 'members');
      const conversation = newConversation({ learnerId: first.id });
      conversation.started = true;
      let activityId: string | undefined;
      if (isRecord(body) && isRecord(body.activity)) {
        activityId = conversations.append(conversation.id, botActivity(body.activity, conversation)).id;
      }
      sendJson(res, 201, { id: conversation.id, serviceUrl, ...(activityId ? { activityId } : {}) });
    }),
  );

  return { mode: 'local', serviceUrl, conversations, tokens, browserOrigins: [], idle: () => forwarder.idle() };
}

/**
 * The page's channelData, with `lmsSession` only as the server knows it: from the signed LMS
 * launch the chat started with. A page cannot mark its turns as another LMS session's.
 */
function withSession(channelData: unknown, lmsSession: string | undefined): { channelData?: Record<string, unknown> } {
  const { lmsSession: _claimed, ...rest } = isRecord(channelData) ? channelData : {};
  const merged = { ...rest, ...(lmsSession ? { lmsSession } : {}) };
  return Object.keys(merged).length > 0 ? { channelData: merged } : {};
}

function pathParam(req: Request, name: string): string {
  const params: unknown = req.params;
  const value = isRecord(params) ? params[name] : undefined;
  if (typeof value !== 'string' || value === '' || value.length > 256) throw new AcademyError(400, `Bad ${name}`, name);
  return value;
}

/** Exchanges the Direct Line secret for a token at Azure: `POST {endpoint}/v3/directline/tokens/generate`. */
async function exchangeAzureSecret(azure: { secret: string; endpoint: string }, userId: string, log: Log): Promise<TokenResponse> {
  let response: globalThis.Response;
  try {
    response = await fetch(`${azure.endpoint}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${azure.secret}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    log(`directline: could not reach Azure Direct Line at ${azure.endpoint}: ${error instanceof Error ? error.message : String(error)}`);
    throw new AcademyError(502, 'Could not start the chat service');
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    log(`directline: Azure Direct Line token exchange failed with HTTP ${response.status}: ${text.slice(0, 200)}`);
    throw new AcademyError(502, 'Could not start the chat service');
  }
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    body = undefined;
  }
  if (!isRecord(body) || typeof body.token !== 'string' || typeof body.conversationId !== 'string') {
    log('directline: Azure Direct Line token exchange returned an unexpected body');
    throw new AcademyError(502, 'Could not start the chat service');
  }
  return {
    token: body.token,
    conversationId: body.conversationId,
    expires_in: typeof body.expires_in === 'number' ? body.expires_in : 1800,
    domain: `${azure.endpoint}/v3/directline`,
  };
}

/**
 * Delivers activities to the bot's endpoint, one at a time per conversation (so a turn sees the
 * state the previous one left), without holding up the HTTP response to Web Chat.
 */
class BotForwarder {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly endpoint: string,
    private readonly timeoutMs: number,
    private readonly log: Log,
    private readonly signingKey: Buffer,
  ) {}

  enqueue(conversationId: string, activity: Activity & { readonly serviceUrl: string }): void {
    const previous = this.tails.get(conversationId) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(activity));
    this.tails.set(conversationId, next);
    void next.finally(() => {
      if (this.tails.get(conversationId) === next) this.tails.delete(conversationId);
    });
  }

  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }

  private async deliver(activity: Activity): Promise<void> {
    const what = `${activity.type} ${activity.id ?? ''}`.trim();
    try {
      const body = JSON.stringify(activity);
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8', [FORWARD_HEADER]: signForward(this.signingKey, body) },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        this.log(`directline: the bot answered HTTP ${response.status} to ${what}${text ? `: ${text.slice(0, 200)}` : ''}`);
      } else {
        await response.body?.cancel();
      }
    } catch (error) {
      this.log(`directline: could not deliver ${what} to the bot at ${this.endpoint}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

