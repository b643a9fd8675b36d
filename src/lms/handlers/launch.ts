/** The cmi5 AU launch (`GET /lms/cmi5/launch`), its page's static files, and the page's headers. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'restify';
import { httpError, type Route, type RouteHandler } from '../../http/index.js';
import { LaunchFailure } from '../cmi5/client.js';
import { browserDir } from '../packages.js';
import { errorPage, launchPage, type PageAssets } from '../pages.js';
import type { LmsRouteDeps } from './deps.js';

/** An error for the log: what the LMS answered, or the stack. */
export function describe(e: unknown): string {
  if (e instanceof LaunchFailure) return `${e.reason} (${e.field ?? ''}): ${e.detail}`;
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

function asset(file: string, type: string): Asset {
  const body = readFileSync(join(browserDir(), file));
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
}

/** The launch page's script and style, read once, and their versioned URLs. */
export function launchAssets(): { routes: Route[]; assets: PageAssets } {
  const frameJs = asset('frame.js', 'text/javascript; charset=utf-8');
  const css = asset('lms.css', 'text/css; charset=utf-8');
  const assets: PageAssets = { cssHref: `/lms/static/lms.css?v=${css.etag.slice(1, 9)}`, scriptHref: `/lms/static/frame.js?v=${frameJs.etag.slice(1, 9)}` };
  const serve = (a: Asset): RouteHandler => async (_req, res) => {
    res.writeHead(200, { 'Content-Type': a.type, ETag: a.etag, 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff', 'Content-Length': String(a.body.length) });
    res.end(a.body);
  };
  return {
    routes: [
      { method: 'get', path: '/lms/static/frame.js', handler: serve(frameJs) },
      { method: 'get', path: '/lms/static/lms.css', handler: serve(css) },
    ],
    assets,
  };
}

function sendHtml(res: Response, status: number, html: string, frameAncestors: readonly string[]): void {
  const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : "'self'";
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors ${ancestors}`,
  });
  res.end(html);
}

/** `GET /lms/cmi5/launch`: the session starts and the launch page frames the lesson's chat. A failure shows a fixed message. */
export const launchCmi5 = (deps: LmsRouteDeps, assets: PageAssets): RouteHandler => async (req, res) => {
  const query = new URL(req.url ?? '/', 'http://academy.invalid').searchParams;
  try {
    const session = await deps.sessions.launchCmi5(query);
    const chat = new URLSearchParams({ lesson: session.lesson.id, session: session.id, launch: deps.launchToken(session.learnerId, session.id) });
    const page = launchPage(assets, {
      sessionId: session.id,
      title: session.lesson.title,
      chatSrc: `/?${chat}`,
      mode: session.data.launchMode,
      ...(session.data.returnURL ? { returnUrl: session.data.returnURL } : {}),
    });
    sendHtml(res, 200, page, deps.frameAncestors);
  } catch (e) {
    const error = httpError(e, 'Something went wrong on our side.');
    if (error.unexpected || e instanceof LaunchFailure) deps.log(`LMS: cmi5 launch failed: ${describe(e)}`);
    const heading = e instanceof LaunchFailure && e.reason === 'fetch-used' ? 'This lesson link has already been used' : 'This lesson could not start';
    sendHtml(res, error.status, errorPage(assets, heading, error.message, error.field), deps.frameAncestors);
  }
};
