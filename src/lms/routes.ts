/**
 * The LMS plugin's HTTP routes:
 *   GET  /lms/cmi5/launch                 the cmi5 AU launch (endpoint, fetch, actor, registration, activityId)
 *   GET  /lms/sessions/:id                a session's progress (JSON; the launch page and SCOs poll it)
 *   POST /lms/sessions/:id/terminate      end the session (cmi5 `terminated`); answers the returnURL
 *   POST /lms/scorm/sessions              a SCORM 1.2 SCO starts a lesson for its LMS's student
 *   GET  /lms/static/*                    the launch page's script and style
 * The session routes a SCO calls from its LMS's origin answer CORS requests from the allowed LMS
 * origins only (LMS_ALLOWED_ORIGINS); session ids are unguessable, and nothing here names the
 * learner. A failed launch shows a fixed message: what the LMS answered goes to the log only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import { sendJson } from '../http/index.js';
import { AcademyError, isAcademyError } from '../errors.js';
import type { LmsAllowList } from './allowList.js';
import { browserDir } from './packages.js';
import { errorPage, launchPage, type PageAssets } from './pages.js';
import type { LmsSessions } from './sessions.js';
import { LaunchFailure } from './cmi5/client.js';

export interface LmsRouteDeps {
  readonly sessions: LmsSessions;
  readonly allow: LmsAllowList;
  /** CSP frame-ancestors of the launch page (LMS_FRAME_ANCESTORS). */
  readonly frameAncestors: readonly string[];
  readonly log: (line: string) => void;
  /** The sealed launch token of the lesson's chat (`/?lesson=…&session=…&launch=…`). */
  readonly launchToken: (learnerId: string, sessionId: string) => string;
}

const MAX_BODY = 8 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new AcademyError(413, 'request body too large', 'body'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** CORS headers for an allowed LMS origin; none for any other (the browser then refuses the answer). */
function corsFor(allow: LmsAllowList, req: Request): Record<string, string> {
  const origin = originHeader(req);
  const base = { Vary: 'Origin' };
  if (!allow.isLmsOrigin(origin)) return base;
  return { ...base, 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': '600' };
}

function originHeader(req: Request): string | undefined {
  const origin = req.headers.origin;
  return typeof origin === 'string' ? origin : undefined;
}

function describe(e: unknown): string {
  if (e instanceof LaunchFailure) return `${e.reason} (${e.field ?? ''}): ${e.detail}`;
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}


function param(req: Request, name: string): string {
  const params: unknown = req.params;
  const v = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
}

export function registerLmsRoutes(server: Server, deps: LmsRouteDeps): void {
  const dir = browserDir();
  const asset = (file: string, type: string) => {
    const body = readFileSync(join(dir, file));
    return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
  };
  const frameJs = asset('frame.js', 'text/javascript; charset=utf-8');
  const css = asset('lms.css', 'text/css; charset=utf-8');
  const assets: PageAssets = { cssHref: `/lms/static/lms.css?v=${css.etag.slice(1, 9)}`, scriptHref: `/lms/static/frame.js?v=${frameJs.etag.slice(1, 9)}` };
  const ancestors = deps.frameAncestors.length > 0 ? deps.frameAncestors.join(' ') : "'self'";

  const sendHtml = (res: Response, status: number, html: string): void => {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(html)),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors ${ancestors}`,
    });
    res.end(html);
  };

  for (const [path, a] of [['/lms/static/frame.js', frameJs], ['/lms/static/lms.css', css]] as const) {
    server.get(path, async (_req: Request, res: Response) => {
      res.writeHead(200, { 'Content-Type': a.type, ETag: a.etag, 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff', 'Content-Length': String(a.body.length) });
      res.end(a.body);
    });
  }

  server.get('/lms/cmi5/launch', async (req: Request, res: Response) => {
    const query = new URL(req.url ?? '/', 'http://academy.invalid').searchParams;
    try {
      const session = await deps.sessions.launchCmi5(query);
      const chat = new URLSearchParams({ lesson: session.lesson.id, session: session.id, launch: deps.launchToken(session.learnerId, session.id) });
      sendHtml(
        res,
        200,
        launchPage(assets, {
          sessionId: session.id,
          title: session.lesson.title,
          chatSrc: `/?${chat}`,
          mode: session.data.launchMode,
          ...(session.data.returnURL ? { returnUrl: session.data.returnURL } : {}),
        }),
      );
    } catch (e) {
      if (!isAcademyError(e) || e instanceof LaunchFailure) deps.log(`LMS: cmi5 launch failed: ${describe(e)}`);
      const heading = e instanceof LaunchFailure && e.reason === 'fetch-used' ? 'This lesson link has already been used' : 'This lesson could not start';
      const message = isAcademyError(e) ? e.message : 'Something went wrong on our side.';
      sendHtml(res, isAcademyError(e) ? e.status : 500, errorPage(assets, heading, message, isAcademyError(e) ? e.field : undefined));
    }
  });

  const sessionRoute = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await handler(req, res);
    } catch (e) {
      if (!isAcademyError(e)) deps.log(`LMS: ${req.method} ${req.url} failed: ${describe(e)}`);
      sendJson(res, isAcademyError(e) ? e.status : 500, { error: isAcademyError(e) ? e.message : 'internal error', ...(isAcademyError(e) && e.field ? { field: e.field } : {}) }, corsFor(deps.allow, req));
    }
  };

  for (const path of ['/lms/sessions/:id', '/lms/scorm/sessions']) {
    server.opts(path, async (req: Request, res: Response) => {
      res.writeHead(204, corsFor(deps.allow, req));
      res.end();
    });
  }

  server.get(
    '/lms/sessions/:id',
    sessionRoute(async (req, res) => {
      const s = deps.sessions.require(param(req, 'id'));
      sendJson(res, 200, deps.sessions.view(s), corsFor(deps.allow, req));
    }),
  );

  server.post(
    '/lms/sessions/:id/terminate',
    sessionRoute(async (req, res) => {
      const s = deps.sessions.require(param(req, 'id'));
      await readBody(req);
      await deps.sessions.terminate(s);
      sendJson(res, 200, { status: s.status, ...(s.kind === 'cmi5' && s.data.returnURL ? { returnUrl: s.data.returnURL } : {}) }, corsFor(deps.allow, req));
    }),
  );

  server.post(
    '/lms/scorm/sessions',
    sessionRoute(async (req, res) => {
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
    }),
  );
}
