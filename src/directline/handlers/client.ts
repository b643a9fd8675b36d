/**
 * The page's side: `POST /api/directline/token` and the Direct Line v3 routes that
 * botframework-directlinejs calls (start a conversation, poll and post activities, refresh).
 */
import type { Request, Response } from 'restify';
import { AcademyError } from '../../errors.js';
import { isRecord, readJsonBody, sendJson } from '../../http/index.js';
import { exchangeAzureSecret } from '../azure.js';
import { LIMITS, type DirectLineContext } from '../context.js';
import { type Conversation, parseWatermark } from '../conversations.js';
import { pathParam, queryParam } from '../http.js';
import type { IssuedToken } from '../tokens.js';
import type { TokenResponse } from '../types.js';

type Handler = (req: Request, res: Response) => Promise<void>;

const CLIENT_ACTIVITY_TYPES = new Set(['message', 'event', 'invoke', 'typing', 'messageReaction']);

const tokenBody = (issued: IssuedToken) => ({ conversationId: issued.conversationId, token: issued.token, expires_in: issued.expiresIn });

/** `POST /api/directline/token`: a new conversation for the learner, and its token. */
export const issueToken = (ctx: DirectLineContext): Handler => async (req, res) => {
  const learner = await ctx.requester(req, res);
  const issued = ctx.issueFor(ctx.newConversation(learner));
  const body: TokenResponse = { token: issued.token, conversationId: issued.conversationId, expires_in: issued.expiresIn };
  sendJson(res, 200, body);
};

/** `POST /api/directline/token` in Azure mode: Azure's token for the learner. */
export const issueAzureToken = (ctx: DirectLineContext, azure: { secret: string; endpoint: string }): Handler => async (req, res) => {
  const learner = await ctx.requester(req, res);
  sendJson(res, 200, await exchangeAzureSecret(azure, learner.learnerId, ctx.log));
};

/** `POST /v3/directline/conversations`: starts the token's conversation (tells the bot once). */
export const startConversation = (ctx: DirectLineContext): Handler => async (req, res) => {
  const claims = ctx.authorize(req);
  const body = await readJsonBody(req, LIMITS.start);
  // A genuine token whose conversation has gone (idle expiry, restart with the same secret): start it again, for the same learner.
  const conversation = ctx.conversations.get(claims.conversationId) ?? ctx.recreate(req, claims);
  if (conversation.userId !== claims.userId) throw new AcademyError(403, 'Token is not valid for this conversation');
  const isNew = !conversation.started;
  if (isNew) {
    conversation.started = true;
    const locale = isRecord(body) && typeof body.locale === 'string' && body.locale.length <= 32 ? body.locale : undefined;
    if (locale) conversation.locale = locale;
    ctx.forwarder.enqueue(conversation.id, {
      type: 'conversationUpdate',
      id: `${conversation.id}|conversationUpdate`,
      timestamp: ctx.deps.clock.now().toISOString(),
      channelId: 'webchat',
      serviceUrl: ctx.serviceUrl,
      from: ctx.learnerAccount(conversation),
      recipient: ctx.bot,
      conversation: { id: conversation.id },
      membersAdded: [{ id: ctx.bot.id, name: ctx.bot.name }, { id: conversation.learnerId }],
      ...(conversation.lmsSession ? { channelData: { lmsSession: conversation.lmsSession } } : {}),
      ...(locale ? { locale } : {}),
    });
  }
  sendJson(res, isNew ? 201 : 200, tokenBody(ctx.issueFor(conversation)));
};

/** `GET /v3/directline/conversations/:conversationId`: reconnect (a fresh token). */
export const getConversation = (ctx: DirectLineContext): Handler => async (req, res) => {
  const id = pathParam(req, 'conversationId');
  ctx.authorize(req, id);
  parseWatermark(queryParam(req, 'watermark'));
  sendJson(res, 200, tokenBody(ctx.issueFor(ctx.conversations.require(id))));
};

/** `GET /v3/directline/conversations/:conversationId/activities`: the activities after the watermark. */
export const getActivities = (ctx: DirectLineContext): Handler => async (req, res) => {
  const id = pathParam(req, 'conversationId');
  ctx.authorize(req, id);
  sendJson(res, 200, ctx.conversations.list(id, parseWatermark(queryParam(req, 'watermark'))));
};

/** `POST /v3/directline/conversations/:conversationId/activities`: the user's activity, forwarded to the bot. */
export const postActivity = (ctx: DirectLineContext): Handler => async (req, res) => {
  const id = pathParam(req, 'conversationId');
  const claims = ctx.authorize(req, id);
  const body = await readJsonBody(req, LIMITS.userActivity);
  const conversation = ctx.conversations.require(id);
  if (!isRecord(body) || typeof body.type !== 'string' || !CLIENT_ACTIVITY_TYPES.has(body.type)) {
    throw new AcademyError(400, `An activity needs a type, one of ${[...CLIENT_ACTIVITY_TYPES].join(', ')}`, 'type');
  }
  const { id: _id, timestamp: _ts, from: _from, recipient: _to, conversation: _conv, serviceUrl: _su, channelId: _ch, channelData, ...rest } = body;
  const stored = ctx.conversations.append(id, {
    ...rest,
    type: body.type,
    channelId: 'webchat',
    from: { id: claims.userId, role: 'user' },
    recipient: ctx.bot,
    conversation: { id },
    ...withSession(channelData, conversation),
    ...(typeof rest.locale !== 'string' && conversation.locale ? { locale: conversation.locale } : {}),
  });
  // The bot sees the learner, never the page's alias.
  ctx.forwarder.enqueue(id, { ...stored, from: ctx.learnerAccount(conversation), serviceUrl: ctx.serviceUrl });
  sendJson(res, 200, { id: stored.id });
};

/** `POST /v3/directline/tokens/refresh`. */
export const refreshToken = (ctx: DirectLineContext): Handler => async (req, res) => {
  const claims = ctx.authorize(req);
  sendJson(res, 200, tokenBody(ctx.issueFor(ctx.conversations.require(claims.conversationId))));
};

/**
 * The page's channelData, with `lmsSession` only as the server knows it: from the signed LMS
 * launch the chat started with. A page cannot mark its turns as another LMS session's.
 */
function withSession(channelData: unknown, { lmsSession }: Conversation): { channelData?: Record<string, unknown> } {
  const { lmsSession: _claimed, ...rest } = isRecord(channelData) ? channelData : {};
  const merged = { ...rest, ...(lmsSession ? { lmsSession } : {}) };
  return Object.keys(merged).length > 0 ? { channelData: merged } : {};
}
