import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'restify';
import { AcademyError } from '../errors.js';
import { describeError, httpError, isRecord, sendJson } from '../http/index.js';
import { TOKEN_EXPIRED } from './tokens.js';

/** The Direct Line routes' own HTTP helpers; the rest is the shared toolkit (src/http/). */

export type Log = (message: string) => void;

/** Direct Line's error body: `{ error: { code, message } }`. */
export function errorCode(status: number): string {
  switch (status) {
    case 400:
      return 'BadArgument';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 413:
      return 'MessageSizeTooBig';
    case 415:
      return 'UnsupportedMediaType';
    case 429:
      return 'TooManyRequests';
    case 502:
    case 504:
      return 'BadGateway';
    default:
      return 'ServiceError';
  }
}

export function sendError(res: Response, error: unknown, log: Log): void {
  const e = httpError(error, 'Internal error');
  if (e.unexpected) log(`directline: unexpected error: ${describeError(error)}`);
  const headers = { ...(e.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}), ...e.headers };
  const code = e.status === 403 && e.message === TOKEN_EXPIRED ? 'TokenExpired' : errorCode(e.status);
  sendJson(res, e.status, { error: { code, message: e.message } }, headers);
}

/** Wraps an async route so every failure becomes a JSON error response rather than a restify 500. */
export function route(log: Log, handler: (req: Request, res: Response) => Promise<void>): (req: Request, res: Response) => Promise<void> {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await handler(req, res);
    } catch (error) {
      sendError(res, error, log);
    }
  };
}

/** The bearer token of the Authorization header; AcademyError 401 when there is none. */
export function bearerToken(req: IncomingMessage): string {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw new AcademyError(401, 'Missing bearer token');
  return match[1]!;
}

/** A query-string parameter of the request URL. */
export function queryParam(req: IncomingMessage, name: string): string | null {
  return new URL(req.url ?? '/', 'http://localhost').searchParams.get(name);
}

/** A path parameter of the route, non-empty and at most 256 characters; else 400. */
export function pathParam(req: Request, name: string): string {
  const params: unknown = req.params;
  const value = isRecord(params) ? params[name] : undefined;
  if (typeof value !== 'string' || value === '' || value.length > 256) throw new AcademyError(400, `Bad ${name}`, name);
  return value;
}
