/**
 * The session routes a SCO or the launch page calls, from the LMS's origin: CORS for the allowed
 * LMS origins only (LMS_ALLOWED_ORIGINS); errors as `{ error, field }`.
 */
import type { Request, Response } from 'restify';
import { AcademyError } from '../../errors.js';
import { httpError, pathParam, readText, sendJson, type RouteHandler } from '../../http/index.js';
import type { LmsAllowList } from '../allowList.js';
import type { LmsRouteDeps } from './deps.js';
import { describe } from './launch.js';

const MAX_BODY = 8 * 1024;

function readBody(req: Request): Promise<string> {
  return readText(req, { limit: MAX_BODY, tooLarge: () => new AcademyError(413, 'request body too large', 'body') });
}

function originHeader(req: Request): string | undefined {
  const origin = req.headers.origin;
  return typeof origin === 'string' ? origin : undefined;
}

/** CORS headers for an allowed LMS origin; none for any other (the browser then refuses the answer). */
function corsFor(allow: LmsAllowList, req: Request): Record<string, string> {
  const origin = originHeader(req);
  const base = { Vary: 'Origin' };
  if (!allow.isLmsOrigin(origin)) return base;
  return { ...base, 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': '600' };
}

/** A session route: failures answer `{ error, field }` with the CORS headers. */
function sessionRoute(deps: LmsRouteDeps, handler: (req: Request, res: Response) => Promise<void>): RouteHandler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (e) {
      const error = httpError(e, 'internal error');
      if (error.unexpected) deps.log(`LMS: ${req.method} ${req.url} failed: ${describe(e)}`);
      sendJson(res, error.status, { error: error.message, ...(error.field ? { field: error.field } : {}) }, { ...error.headers, ...corsFor(deps.allow, req) });
    }
  };
}

/** `OPTIONS`: the CORS preflight. */
export const preflight = (deps: LmsRouteDeps): RouteHandler => async (req, res) => {
  res.writeHead(204, corsFor(deps.allow, req));
  res.end();
};

/** `GET /lms/sessions/:id`: a session's progress. */
export const getSession = (deps: LmsRouteDeps): RouteHandler =>
  sessionRoute(deps, async (req, res) => {
    const s = deps.sessions.require(pathParam(req, 'id'));
    sendJson(res, 200, deps.sessions.view(s), corsFor(deps.allow, req));
  });

/** `POST /lms/sessions/:id/terminate`: ends the session; answers the returnURL. */
export const terminateSession = (deps: LmsRouteDeps): RouteHandler =>
  sessionRoute(deps, async (req, res) => {
    const s = deps.sessions.require(pathParam(req, 'id'));
    await readBody(req);
    await deps.sessions.terminate(s);
    sendJson(res, 200, { status: s.status, ...(s.kind === 'cmi5' && s.data.returnURL ? { returnUrl: s.data.returnURL } : {}) }, corsFor(deps.allow, req));
  });

/** `POST /lms/scorm/sessions`: a SCORM 1.2 SCO starts a lesson for its LMS's student. */
export const startScormSession = (deps: LmsRouteDeps): RouteHandler =>
  sessionRoute(deps, async (req, res) => {
    const origin = originHeader(req);
    if (!deps.allow.isLmsOrigin(origin)) throw new AcademyError(403, 'This learning platform may not start lessons here (LMS_ALLOWED_ORIGINS).', 'Origin');
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const s = deps.sessions.startScorm(body, origin);
    const chat = new URLSearchParams({ lesson: s.lesson.id, session: s.id, launch: deps.launchToken(s.learnerId, s.id) });
    sendJson(res, 201, { session: s.id, chatPath: `/?${chat}`, lesson: s.lesson.id, title: s.lesson.title }, corsFor(deps.allow, req));
  });
