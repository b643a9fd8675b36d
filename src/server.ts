import type { CloudAdapter, ActivityHandler } from 'botbuilder';
import restify from 'restify';
import { isAcademyError } from './errors.js';
import { sendJson } from './http/index.js';
import { admitActivity, type GateOptions } from './security/activityGate.js';

export interface ServerDeps {
  readonly adapter: CloudAdapter;
  readonly bot: ActivityHandler;
  /** Facts for /healthz (alive) and /readyz. */
  readonly health: () => Record<string, unknown>;
  /** Ready for traffic: stores open, content loaded, not shutting down. /readyz answers 503 otherwise. */
  readonly ready?: () => boolean;
  /** Where a failure after the response has started is reported (default: console.error). */
  readonly logError?: (message: string, error: unknown) => void;
  /** Which activities /api/messages accepts, and from where (src/security/activityGate.ts). */
  readonly gate: GateOptions;
}

/**
 * The HTTP server and the routes every deployment has: the Bot Framework endpoint and the
 * health check. Other capabilities (LRS, Direct Line, web page) register their own routes on it.
 * No global body parser: each route reads its own body (the LRS needs raw bodies).
 * Every handler registered on it is guarded (see `guardHandlers`).
 */
export function buildServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'digital-skills-academy', handleUncaughtExceptions: false });
  guardHandlers(server, deps.logError ?? ((message, error) => console.error(message, error)));
  server.use(restify.plugins.queryParser({ mapParams: false }));

  // Bot Framework: Teams, Azure Bot Service, Agents Playground and the local Direct Line post here.
  server.post('/api/messages', restify.plugins.bodyParser({ maxBodySize: 512 * 1024, mapParams: false }), async (req, res) => {
    try {
      admitActivity(req, deps.gate);
    } catch (e) {
      if (!isAcademyError(e)) throw e;
      sendJson(res, e.status, { error: { code: e.status === 403 ? 'Forbidden' : 'BadArgument', message: e.message } });
      return;
    }
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
  });

  // Alive: the process answers. Ready: a load balancer may send it traffic.
  server.get('/healthz', (_req, res, next) => {
    res.json({ status: 'ok', ...deps.health() });
    return next();
  });
  server.get('/readyz', (_req, res, next) => {
    const ready = deps.ready?.() ?? true;
    res.json(ready ? 200 : 503, { status: ready ? 'ready' : 'stopping' });
    return next();
  });

  return server;
}

type AsyncHandler = (req: restify.Request, res: restify.Response) => Promise<unknown>;
type CallbackHandler = (req: restify.Request, res: restify.Response, next: restify.Next) => unknown;
type ErrorLog = (message: string, error: unknown) => void;
const ROUTE_METHODS = ['get', 'head', 'post', 'put', 'patch', 'del', 'opts', 'use', 'pre'] as const;

/**
 * A handler that fails after it has started its response (a client that went away mid-download,
 * a stream error) must not reach restify's error path, which would write headers again and throw
 * ERR_HTTP_HEADERS_SENT outside any handler. Every handler registered on `server` is wrapped:
 * such a failure is logged and the response destroyed; a failure before the response started
 * goes to restify as before (its status and message).
 */
export function guardHandlers(server: restify.Server, log: ErrorLog): void {
  for (const method of ROUTE_METHODS) {
    const original = server[method].bind(server) as (...args: unknown[]) => unknown;
    const guarded = (...args: unknown[]): unknown => original(...args.map((a) => guardArgument(a, log)));
    Object.defineProperty(server, method, { value: guarded, configurable: true, writable: true });
  }
}

function guardArgument(arg: unknown, log: ErrorLog): unknown {
  if (Array.isArray(arg)) return arg.map((a) => guardArgument(a, log));
  if (typeof arg !== 'function') return arg;
  return arg.length <= 2 ? guardAsync(arg as AsyncHandler, log) : guardCallback(arg as CallbackHandler, log);
}

function abandon(res: restify.Response, log: ErrorLog, error: unknown): void {
  log(`A response failed after it had started (${res.req?.method ?? ''} ${res.req?.url ?? ''}); the connection was closed.`, error);
  res.destroy();
}

function guardAsync(handler: AsyncHandler, log: ErrorLog): AsyncHandler {
  const guarded = async (req: restify.Request, res: restify.Response): Promise<unknown> => {
    try {
      return await handler(req, res);
    } catch (error) {
      if (!res.headersSent) throw error;
      abandon(res, log, error);
      return undefined;
    }
  };
  Object.defineProperty(guarded, 'name', { value: handler.name });
  return guarded;
}

function guardCallback(handler: CallbackHandler, log: ErrorLog): CallbackHandler {
  const guarded = (req: restify.Request, res: restify.Response, next: restify.Next): unknown => {
    const guardedNext = ((arg?: unknown) => {
      if (arg instanceof Error && res.headersSent) {
        abandon(res, log, arg);
        return next(false);
      }
      return next(arg as Parameters<restify.Next>[0]);
    }) as restify.Next;
    try {
      return handler(req, res, guardedNext);
    } catch (error) {
      if (!res.headersSent) throw error;
      abandon(res, log, error);
      return next(false);
    }
  };
  Object.defineProperty(guarded, 'name', { value: handler.name });
  return guarded;
}
