/**
 * A Direct Line v3–compatible endpoint, so Bot Framework Web Chat runs against the academy with no
 * Azure: Web Chat polls `/v3/directline/...`; user activities are forwarded to the bot's own
 * `POST /api/messages` with a `serviceUrl` pointing back at the Bot Connector–compatible routes
 * under `/directline/connector`, where the bot's replies are appended for Web Chat to poll.
 *
 * With `azure` set, only `POST /api/directline/token` is registered: it exchanges the Direct Line
 * secret for a token from Azure Bot Service, and Web Chat talks to Azure directly.
 *
 * The route table is below; the handlers are in handlers/client.ts (the page's side) and
 * handlers/connector.ts (the bot's side), sharing a DirectLineContext (context.ts).
 */
import type { Server } from 'restify';
import { registerRoutes, type Route } from '../http/index.js';
import { DEFAULT_AZURE_DIRECT_LINE_ENDPOINT } from './azure.js';
import { CONNECTOR_PATH, directLineContext, type DirectLineContext } from './context.js';
import * as client from './handlers/client.js';
import * as connector from './handlers/connector.js';
import { route } from './http.js';
import type { DirectLine, DirectLineDeps } from './types.js';

export { DEFAULT_AZURE_DIRECT_LINE_ENDPOINT } from './azure.js';
export { CONNECTOR_PATH } from './context.js';
export type { ChatIdentity, DirectLine, DirectLineDeps, TokenResponse } from './types.js';

/** The page's routes: each failure answers as Direct Line's `{ error: { code, message } }`. */
function clientRoutes(ctx: DirectLineContext): Route[] {
  const v3 = '/v3/directline';
  const conversation = `${v3}/conversations/:conversationId`;
  const routes: Route[] = [
    { method: 'post', path: '/api/directline/token', handler: client.issueToken(ctx) },
    { method: 'post', path: `${v3}/conversations`, handler: client.startConversation(ctx) },
    { method: 'get', path: conversation, handler: client.getConversation(ctx) },
    { method: 'get', path: `${conversation}/activities`, handler: client.getActivities(ctx) },
    { method: 'post', path: `${conversation}/activities`, handler: client.postActivity(ctx) },
    { method: 'post', path: `${v3}/tokens/refresh`, handler: client.refreshToken(ctx) },
  ];
  return routes.map((r) => ({ ...r, handler: route(ctx.log, r.handler) }));
}

/** The Bot Connector routes (serviceUrl = {selfBaseUrl}/directline/connector), for the bot on this machine only. */
function connectorRoutes(ctx: DirectLineContext): Route[] {
  const conversation = `${CONNECTOR_PATH}/v3/conversations/:conversationId`;
  const activity = `${conversation}/activities/:activityId`;
  const routes: Route[] = [
    { method: 'post', path: `${conversation}/activities`, handler: connector.appendFromBot(ctx, false) },
    { method: 'post', path: activity, handler: connector.appendFromBot(ctx, true) },
    { method: 'put', path: activity, handler: connector.updateActivity(ctx) },
    { method: 'del', path: activity, handler: connector.deleteActivity(ctx) },
    { method: 'get', path: `${conversation}/members`, handler: connector.members(ctx) },
    { method: 'get', path: `${conversation}/members/:memberId`, handler: connector.member(ctx) },
    { method: 'post', path: `${CONNECTOR_PATH}/v3/conversations`, handler: connector.createConversation(ctx) },
  ];
  return routes.map((r) => ({ ...r, handler: connector.fromBot(ctx, r.handler) }));
}

export function registerDirectLine(server: Server, deps: DirectLineDeps): DirectLine {
  const ctx = directLineContext(deps);
  const { serviceUrl, conversations, tokens } = ctx;
  const idle = () => ctx.forwarder.idle();
  if (deps.azure) {
    const azure = { secret: deps.azure.secret, endpoint: (deps.azure.endpoint || DEFAULT_AZURE_DIRECT_LINE_ENDPOINT).replace(/\/+$/, '') };
    registerRoutes(server, [{ method: 'post', path: '/api/directline/token', handler: route(ctx.log, client.issueAzureToken(ctx, azure)) }]);
    return { mode: 'azure', serviceUrl, conversations, tokens, browserOrigins: [new URL(azure.endpoint).origin], idle };
  }
  registerRoutes(server, [...clientRoutes(ctx), ...connectorRoutes(ctx)]);
  return { mode: 'local', serviceUrl, conversations, tokens, browserOrigins: [], idle };
}
