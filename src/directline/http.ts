import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'restify';
import { AcademyError, isAcademyError } from '../errors.js';
import { TOKEN_EXPIRED } from './tokens.js';

import { sendJson } from '../http.js';

export { sendJson };

/** Small HTTP helpers shared by the Direct Line and web chat routes (restify without global plugins). */

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
  if (isAcademyError(error)) {
    const headers: Record<string, string> = error.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
    if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
    sendJson(res, error.status, { error: { code: error.status === 403 && error.message === TOKEN_EXPIRED ? 'TokenExpired' : errorCode(error.status), message: error.message } }, headers);
    return;
  }
  log(`directline: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  sendJson(res, 500, { error: { code: 'ServiceError', message: 'Internal error' } });
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

/**
 * The request's JSON body, or undefined when there is none. Reads the stream itself (no global
 * body parser is installed) and refuses more than `limit` bytes with 413. If some middleware has
 * already parsed the body, that is used instead.
 */
export async function readJsonBody(req: IncomingMessage & { body?: unknown }, limit: number): Promise<unknown> {
  if (req.body !== undefined) {
    if (Buffer.isBuffer(req.body)) return parseJson(req.body.toString('utf8'));
    if (typeof req.body === 'string') return req.body === '' ? undefined : parseJson(req.body);
    return req.body;
  }
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new AcademyError(415, 'Send JSON (Content-Type: application/json)');
  }
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw new AcademyError(413, `Body larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) throw new AcademyError(413, `Body larger than ${limit} bytes`);
    chunks.push(buf);
  }
  if (size === 0) return undefined;
  return parseJson(Buffer.concat(chunks).toString('utf8'));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AcademyError(400, 'Body is not valid JSON');
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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
