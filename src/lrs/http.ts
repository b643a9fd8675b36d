/**
 * HTTP plumbing of the LRS routes, independent of restify's plugins (none are installed): raw body
 * reading with a size limit, HTTP Basic authentication, the xAPI version header, CORS, and
 * writing JSON / error responses.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AcademyError } from '../errors.js';
import { httpError, readBody as readRequestBody, sendJson, type Headers } from '../http/index.js';
import type { LrsCredentials } from './credentials.js';

/** The version this LRS answers with (Communication §3.3.s3.b2). */
export const XAPI_VERSION = '1.0.3';
export const VERSION_HEADER = 'X-Experience-API-Version';
export const CONSISTENT_THROUGH_HEADER = 'X-Experience-API-Consistent-Through';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, DELETE, OPTIONS';
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Content-Length',
  'X-Experience-API-Version',
  'Accept',
  'Accept-Language',
  'If-Match',
  'If-None-Match',
].join(', ');
const EXPOSED_HEADERS = [
  'Content-Type',
  'ETag',
  'Last-Modified',
  'X-Experience-API-Version',
  'X-Experience-API-Consistent-Through',
].join(', ');

export type { Headers };

/** The xAPI version each response answers in: 2.0.0 when the request asked for 2.0.x. */
const responseVersions = new WeakMap<ServerResponse, string>();

/** Marks the response as answering an xAPI `requested` (the request's version header) request. */
export function setResponseVersion(res: ServerResponse, requested: string): void {
  responseVersions.set(res, requested.startsWith('2.') ? '2.0.0' : XAPI_VERSION);
}

/** The major xAPI version of the response: '2.0.0' or '1.0.3'. */
export function responseVersion(res: ServerResponse): string {
  return responseVersions.get(res) ?? XAPI_VERSION;
}

/** Headers on every LRS response: the version and CORS. */
export function commonHeaders(res?: ServerResponse): Headers {
  return {
    [VERSION_HEADER]: res === undefined ? XAPI_VERSION : responseVersion(res),
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
  };
}

/** Answer to a CORS preflight (no authentication: browsers send none on preflight). */
export function sendPreflight(res: ServerResponse): void {
  res.writeHead(204, {
    ...commonHeaders(res),
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '86400',
  });
  res.end();
}

/** Writes a response with the common headers; a body gets its Content-Length. */
export function send(res: ServerResponse, status: number, headers: Headers, body?: string | Buffer): void {
  const length: Headers = body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
  res.writeHead(status, { ...commonHeaders(res), ...length, ...headers });
  res.end(body);
}

/** An xAPI JSON response (the toolkit's, with the common headers); for HEAD (`head`), the headers only. */
export function sendXapiJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}, head = false): void {
  sendJson(res, status, body, { ...commonHeaders(res), ...headers }, head);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Headers = {}): void {
  send(res, status, headers);
}

/** Errors answer `{ error, field }` with the AcademyError status; anything else is a 500. */
export function sendError(res: ServerResponse, error: unknown, log?: (error: unknown) => void): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const e = httpError(error, 'internal server error');
  if (e.unexpected) log?.(error);
  const headers: Headers = { ...e.headers };
  if (e.status === 401) headers['WWW-Authenticate'] = 'Basic realm="xAPI", charset="UTF-8"';
  sendXapiJson(res, e.status, { error: e.message, ...(e.field === undefined ? {} : { field: e.field }) }, headers);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Checks HTTP Basic credentials (RFC 7617); 401 when missing or wrong. */
export function authenticate(req: IncomingMessage, credentials: LrsCredentials): void {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw new AcademyError(401, 'authentication required: send HTTP Basic credentials', 'Authorization');
  }
  const match = /^Basic[ \t]+([A-Za-z0-9+/=_-]+)[ \t]*$/i.exec(header);
  if (!match) throw new AcademyError(401, 'Authorization must use the Basic scheme', 'Authorization');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const key = colon < 0 ? decoded : decoded.slice(0, colon);
  const secret = colon < 0 ? '' : decoded.slice(colon + 1);
  // Evaluate both comparisons so timing does not tell which part was wrong.
  const keyOk = sameSecret(key, credentials.key);
  const secretOk = sameSecret(secret, credentials.secret);
  if (!(keyOk && secretOk)) throw new AcademyError(401, 'invalid credentials', 'Authorization');
}

/** Accepts 1.0 and 1.0.x (Communication §3.3.s3); anything else, or none, is a 400. */
export function checkVersionHeader(req: IncomingMessage): string {
  const raw = req.headers['x-experience-api-version'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (value === undefined || value === '') {
    throw new AcademyError(400, `the ${VERSION_HEADER} header is required`, VERSION_HEADER);
  }
  if (!/^(?:1\.0|2\.0)(?:\.\d+)?$/.test(value)) {
    throw new AcademyError(400, `${VERSION_HEADER} ${value} is not supported (this LRS speaks 1.0.x and 2.0.x)`, VERSION_HEADER);
  }
  return value;
}

/** The media type of the request, lowercase, without parameters ('' when absent). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Bodies already read for a request (the alternate request syntax's `content` form field). */
const presetBodies = new WeakMap<IncomingMessage, Buffer>();

/** Makes `readBody` answer `body` for this request instead of reading the stream. */
export function presetBody(req: IncomingMessage, body: Buffer): void {
  presetBodies.set(req, body);
}

/**
 * Reads the whole request body, up to `limit` bytes; over it, 413. An oversized body is drained
 * (up to a cap) before answering so the client sees the 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer> {
  const preset = presetBodies.get(req);
  if (preset === undefined) return readRequestBody(req, { limit, drainInto: res });
  if (preset.length > limit) return Promise.reject(new AcademyError(413, `request body exceeds the ${limit}-byte limit`, 'body'));
  return Promise.resolve(preset);
}

/** Parses a JSON request body (Content-Type application/json). */
export function parseJsonBody(req: IncomingMessage, body: Buffer): unknown {
  if (mediaType(req) !== 'application/json') {
    throw new AcademyError(400, 'Content-Type must be application/json or multipart/mixed', 'Content-Type');
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AcademyError(400, 'request body is not valid JSON', 'body');
  }
}
