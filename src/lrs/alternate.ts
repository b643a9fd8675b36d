/**
 * The Alternate Request Syntax of xAPI 1.0.3 (Communication §1.3): a client that cannot send
 * custom headers or PUT/DELETE (old browsers, some LMS players) POSTs to `<resource>?method=PUT`
 * with an application/x-www-form-urlencoded body. The form fields Authorization,
 * X-Experience-API-Version, Content-Type, Content-Length, If-Match and If-None-Match act as
 * headers, `content` is the request body, and every other field is a query parameter.
 *
 * `rewriteAlternateRequest` turns such a request into the request it stands for, in place, so the
 * ordinary handler of that method serves it. xAPI 2.0 removed the syntax: a rewritten request
 * that says version 2.0 is refused (400).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AcademyError } from '../errors.js';
import { mediaType, presetBody, readBody } from './http.js';

const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);
const HEADER_FIELDS = new Set([
  'authorization',
  'x-experience-api-version',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
]);

/** True when the request uses the alternate syntax (a `method` query parameter). */
export function isAlternateRequest(req: IncomingMessage): boolean {
  return new URL(req.url ?? '/', 'http://lrs.invalid').searchParams.has('method');
}

/**
 * Rewrites a POST `?method=X` request into the X request it carries: method, headers, query
 * string and body. 400 when it is not a POST, has other query parameters, is not form-encoded,
 * or names an unknown method.
 */
export async function rewriteAlternateRequest(req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://lrs.invalid');
  if (req.method !== 'POST') {
    throw new AcademyError(400, 'the alternate request syntax (?method=) must be sent as a POST', 'method');
  }
  for (const name of url.searchParams.keys()) {
    if (name !== 'method') {
      throw new AcademyError(400, `the alternate request syntax takes no query parameters but method (got ${name})`, name);
    }
  }
  const methods = url.searchParams.getAll('method');
  const method = methods[0].toUpperCase();
  if (methods.length > 1 || !METHODS.has(method)) {
    throw new AcademyError(400, 'method must be one of GET, HEAD, PUT, POST or DELETE', 'method');
  }
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    throw new AcademyError(400, 'the alternate request syntax needs Content-Type application/x-www-form-urlencoded', 'Content-Type');
  }

  const form = new URLSearchParams((await readBody(req, res, maxBodyBytes)).toString('utf8'));
  const query = new URLSearchParams();
  let content: string | undefined;
  delete req.headers['content-type'];
  delete req.headers['content-length'];
  for (const [name, value] of form) {
    const lower = name.toLowerCase();
    if (HEADER_FIELDS.has(lower)) req.headers[lower] = value;
    else if (name === 'content') content = value;
    else query.append(name, value);
  }
  const version = req.headers['x-experience-api-version'];
  if (typeof version === 'string' && version.trim().startsWith('2.')) {
    throw new AcademyError(400, 'xAPI 2.0 has no alternate request syntax: send the request itself', 'method');
  }
  const body = Buffer.from(content ?? '', 'utf8');
  if (content !== undefined && req.headers['content-type'] === undefined) req.headers['content-type'] = 'application/json';
  req.headers['content-length'] = String(body.length);
  presetBody(req, body);
  req.method = method;
  const search = query.toString();
  req.url = `${url.pathname}${search === '' ? '' : `?${search}`}`;
}
