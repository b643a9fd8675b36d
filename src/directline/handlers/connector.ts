/**
 * The bot's side: the Bot Connector routes the bot's ConnectorClient calls, under
 * `{selfBaseUrl}/directline/connector` (its serviceUrl). Only a caller on this machine (the bot in
 * this process, through loopback) may post into a conversation as the bot.
 */
import type { Request, Response } from 'restify';
import { AcademyError } from '../../errors.js';
import { isRecord, readJsonBody, sendJson } from '../../http/index.js';
import { LIMITS, type DirectLineContext } from '../context.js';
import type { Activity, Conversation } from '../conversations.js';
import { pathParam, route } from '../http.js';

type Handler = (req: Request, res: Response) => Promise<void>;

/** The route, answering 403 to any caller but the bot on this machine; errors as Direct Line's. */
export const fromBot = (ctx: DirectLineContext, handler: Handler) =>
  route(ctx.log, async (req, res) => {
    const address = req.socket.remoteAddress ?? '';
    if (!/^(127\.|::1$|::ffff:127\.)/.test(address)) throw new AcademyError(403, 'The connector routes answer only the bot on this machine', 'serviceUrl');
    await handler(req, res);
  });

/** A bot's activity as the page sees it (from the bot, to the page's alias). */
function botActivity(ctx: DirectLineContext, body: unknown, conversation: Conversation, replyTo?: string): Activity {
  if (!isRecord(body) || typeof body.type !== 'string' || body.type === '') {
    throw new AcademyError(400, 'An activity needs a type', 'type');
  }
  const { id: _id, timestamp: _ts, serviceUrl: _su, from, replyToId, recipient: _to, conversation: _c, channelId: _ch, ...rest } = body;
  const fromId = isRecord(from) && typeof from.id === 'string' && from.id ? from.id : ctx.bot.id;
  const fromName = isRecord(from) && typeof from.name === 'string' ? from.name : ctx.bot.name;
  // Web Chat holds back a reply whose replyToId it cannot find (5 s per activity), e.g. a greeting
  // replying to the conversationUpdate the client never sees; keep replyToId only when it can.
  const target = typeof replyToId === 'string' && replyToId ? replyToId : replyTo;
  const keepReplyTo = target !== undefined && ctx.conversations.hasActivity(conversation.id, target);
  return {
    ...rest,
    type: body.type,
    channelId: 'webchat',
    from: { id: fromId, name: fromName, role: 'bot' },
    recipient: ctx.userAccount(conversation),
    conversation: { id: conversation.id },
    ...(keepReplyTo ? { replyToId: target } : {}),
  };
}

/** `POST …/activities` and `POST …/activities/:activityId` (a reply): the bot's activity, for the page to poll. */
export const appendFromBot = (ctx: DirectLineContext, reply: boolean): Handler => async (req, res) => {
  const replyTo = reply ? pathParam(req, 'activityId') : undefined;
  const id = pathParam(req, 'conversationId');
  const body = await readJsonBody(req, LIMITS.botActivity);
  const conversation = ctx.conversations.require(id);
  const stored = ctx.conversations.append(id, botActivity(ctx, body, conversation, replyTo));
  sendJson(res, 200, { id: stored.id });
};

/** `PUT …/activities/:activityId`: the bot updates an activity. */
export const updateActivity = (ctx: DirectLineContext): Handler => async (req, res) => {
  const id = pathParam(req, 'conversationId');
  const activityId = pathParam(req, 'activityId');
  const body = await readJsonBody(req, LIMITS.botActivity);
  const conversation = ctx.conversations.require(id);
  const stored = ctx.conversations.update(id, activityId, botActivity(ctx, body, conversation));
  sendJson(res, 200, { id: stored.id });
};

/** `DELETE …/activities/:activityId`. */
export const deleteActivity = (ctx: DirectLineContext): Handler => async (req, res) => {
  const id = pathParam(req, 'conversationId');
  ctx.conversations.require(id);
  ctx.conversations.deleteActivity(id, pathParam(req, 'activityId'));
  sendJson(res, 200, {});
};

/** `GET …/members`: the learner and the bot. */
export const members = (ctx: DirectLineContext): Handler => async (req, res) => {
  const conversation = ctx.conversations.require(pathParam(req, 'conversationId'));
  sendJson(res, 200, [ctx.learnerAccount(conversation), ctx.bot]);
};

/** `GET …/members/:memberId`. */
export const member = (ctx: DirectLineContext): Handler => async (req, res) => {
  const conversation = ctx.conversations.require(pathParam(req, 'conversationId'));
  const found = [ctx.learnerAccount(conversation), ctx.bot].find((m) => m.id === pathParam(req, 'memberId'));
  if (!found) throw new AcademyError(404, 'Member not found', 'memberId');
  sendJson(res, 200, found);
};

/** `POST /v3/conversations`: the bot starts a conversation (proactive), optionally with an activity. */
export const createConversation = (ctx: DirectLineContext): Handler => async (req, res) => {
  const body = await readJsonBody(req, LIMITS.botActivity);
  const list = isRecord(body) && Array.isArray(body.members) ? body.members : [];
  const first: unknown = list[0];
  if (!isRecord(first) || typeof first.id !== 'string' || !first.id) throw new AcademyError(400, 'A new conversation needs a member', 'members');
  const conversation = ctx.newConversation({ learnerId: first.id });
  conversation.started = true;
  let activityId: string | undefined;
  if (isRecord(body) && isRecord(body.activity)) {
    activityId = ctx.conversations.append(conversation.id, botActivity(ctx, body.activity, conversation)).id;
  }
  sendJson(res, 201, { id: conversation.id, serviceUrl: ctx.serviceUrl, ...(activityId ? { activityId } : {}) });
};
