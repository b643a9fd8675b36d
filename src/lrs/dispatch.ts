/**
 * How the LRS's route table reaches restify: authentication and the version header on every route
 * but the open ones, X-Experience-API-Consistent-Through on the Statement Resource, errors as
 * `{ error, field }`, CORS preflight, and the 1.0.3 Alternate Request Syntax (a POST `?method=X`
 * reaches the handler of X on the same path).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type restify from 'restify';
import { AcademyError } from '../errors.js';
import { isAlternateRequest, rewriteAlternateRequest } from './alternate.js';
import type { LrsCredentials } from './credentials.js';
import { CONSISTENT_THROUGH_HEADER, XAPI_VERSION, authenticate, checkVersionHeader, sendError, sendPreflight, setResponseVersion } from './http.js';
import type { StatementStore } from './store.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
/** Registers an LRS handler (authenticated, version-checked) for a method and path. */
export type RegisterRoute = (method: HttpMethod, path: string, handler: Handler) => void;

export interface RouteOptions {
  /** No authentication or version header (About); registered as is, not in the alternate-syntax table. */
  readonly open?: boolean;
  /** A Statement Resource route: X-Experience-API-Consistent-Through on every response. */
  readonly statements?: boolean;
}

/** One row of the LRS route table. */
export interface LrsRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly handler: Handler;
  readonly options?: RouteOptions;
}

export interface DispatchDeps {
  readonly store: StatementStore;
  readonly credentials: LrsCredentials;
  readonly maxBodyBytes: number;
  readonly defaultVersion?: '1.0.3' | '2.0.0';
  readonly log?: (error: unknown) => void;
}

interface Entry {
  readonly handler: Handler;
  readonly options: RouteOptions;
}

/** Registers the LRS route table on the server (see the module comment). */
export function mountLrsRoutes(server: restify.Server, routes: readonly LrsRoute[], deps: DispatchDeps): void {
  /**
   * Runs a handler: auth and version checks (unless `open`), and for the Statement Resource the
   * Consistent-Through header on every response (Communication §2.1.3.s2.b5).
   */
  const run = (req: IncomingMessage, res: ServerResponse, { handler, options }: Entry): Promise<void> | void => {
    if (options.statements) res.setHeader(CONSISTENT_THROUGH_HEADER, deps.store.consistentThrough());
    if (!options.open) {
      authenticate(req, deps.credentials);
      setResponseVersion(res, checkVersionHeader(req));
    }
    return handler(req, res);
  };
  /** A restify handler; errors are answered as `{ error, field }`. */
  const route = (entry: Entry): restify.RequestHandler => (req, res, next) => {
    setResponseVersion(res, deps.defaultVersion ?? XAPI_VERSION);
    Promise.resolve()
      .then(() => run(req, res, entry))
      .catch((error: unknown) => sendError(res, error, deps.log))
      .finally(() => next());
  };
  const preflight = route({ handler: (_req, res) => sendPreflight(res), options: { open: true } });

  // Every authenticated route, by path and method, so a POST `?method=X` reaches the handler of X.
  const table = new Map<string, Map<HttpMethod, Entry>>();
  const openPaths = new Set<string>();
  for (const { method, path, handler, options = {} } of routes) {
    const entry = { handler, options };
    if (options.open) openPaths.add(path);
    else table.set(path, (table.get(path) ?? new Map<HttpMethod, Entry>()).set(method, entry));
    if (method === 'GET') server.get(path, route(entry));
    if (method === 'HEAD') server.head(path, route(entry));
    if (method === 'PUT') server.put(path, route(entry));
    if (method === 'DELETE') server.del(path, route(entry));
  }
  for (const path of openPaths) server.opts(path, preflight);
  // POST routes are registered last: each path's POST is its own handler, or the alternate syntax.
  for (const [path, methods] of table) {
    const statements = methods.get('GET')?.options.statements;
    const post: Handler = async (req, res) => {
      if (!isAlternateRequest(req)) {
        const own = methods.get('POST');
        if (own === undefined) throw new AcademyError(405, `${path} does not accept POST`);
        return run(req, res, own);
      }
      await rewriteAlternateRequest(req, res, deps.maxBodyBytes);
      const target = [...methods].find(([method]) => method === req.method)?.[1];
      if (target === undefined) throw new AcademyError(405, `${path} does not accept ${req.method ?? ''}`, 'method');
      return run(req, res, target);
    };
    server.post(path, route({ handler: post, options: { open: true, statements } }));
    server.opts(path, preflight);
  }
}
