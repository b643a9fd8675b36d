/** Signing in (the local password, or Microsoft Entra ID) and out of the admin pages. */
import type { Request, Response } from 'restify';
import { AcademyError } from '../../errors.js';
import type { RouteHandler } from '../../http/index.js';
import { LOCAL_ADMIN, Throttle, verifyPassword } from '../auth.js';
import { requestUrl, type AdminContext } from '../context.js';
import { esc, layout } from '../html.js';
import { readAdminForm } from './forms.js';

/**
 * The sign-in form's CSRF token: the session's if there is one, else a pre-session's (nothing is
 * kept on the server until a form is posted). `cookie` is set for a new pre-session.
 */
function formCsrf(ctx: AdminContext, req: Request): { csrf: string; cookie?: string } {
  const existing = ctx.sessions.read(req.headers.cookie);
  return existing ? { csrf: existing.csrf } : ctx.sessions.preSession(req.headers.cookie);
}

/** The sign-in page again, with a message (and a fresh pre-session when needed). */
function refuse(ctx: AdminContext, req: Request, res: Response, status: number, message: string, extra: Record<string, string> = {}): void {
  const { csrf, cookie } = formCsrf(ctx, req);
  ctx.replies.html(res, status, ctx.replies.signInPage(csrf, message), cookie, extra);
}

function postedCsrfOk(ctx: AdminContext, req: Request, form: URLSearchParams): boolean {
  const expected = ctx.sessions.expectedCsrf(req.headers.cookie);
  return expected !== undefined && form.get('_csrf') === expected;
}

/** `GET /admin/sign-in`. */
export const signInForm = (ctx: AdminContext): RouteHandler => async (req, res) => {
  if (ctx.sessions.read(req.headers.cookie)?.user) return ctx.replies.redirect(res, '/admin');
  const { csrf, cookie } = formCsrf(ctx, req);
  ctx.replies.html(res, 200, ctx.replies.signInPage(csrf), cookie);
};

/** `POST /admin/sign-in`: the local admin's password, throttled after failures. */
export const signIn = (ctx: AdminContext): RouteHandler => async (req, res) => {
  try {
    const form = await readAdminForm(req);
    if (!postedCsrfOk(ctx, req, form)) return refuse(ctx, req, res, 403, 'The form was out of date. Please try again.');
    if (!ctx.password) return refuse(ctx, req, res, 400, 'Sign in with Microsoft.');
    const username = form.get('username') ?? '';
    const key = Throttle.key(username, req.socket.remoteAddress ?? 'unknown', ctx.sessions.device(req.headers.cookie));
    const wait = ctx.throttle.retryAfterMs(key);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      return refuse(ctx, req, res, 429, `Too many failed sign-ins. Wait ${seconds} seconds and try again.`, { 'Retry-After': String(seconds) });
    }
    const ok = username === LOCAL_ADMIN && (await verifyPassword(form.get('password') ?? '', await ctx.password));
    if (!ok) {
      ctx.throttle.fail(key);
      ctx.audit.record(username.slice(0, 100) || '(blank)', 'sign-in-refused', 'local password');
      return refuse(ctx, req, res, 401, 'The username or password is not right.');
    }
    ctx.throttle.succeed(key);
    const signed = ctx.sessions.signIn(ctx.sessions.read(req.headers.cookie), { name: LOCAL_ADMIN, via: 'local' });
    ctx.audit.record(LOCAL_ADMIN, 'sign-in', 'local password');
    ctx.replies.redirect(res, '/admin', [ctx.sessions.setCookie(signed), ctx.sessions.deviceCookie(req.headers.cookie)]);
  } catch (e) {
    ctx.replies.errorPage(res, e);
  }
};

/** `POST /admin/auth/start`: off to Microsoft Entra ID. */
export const startEntraSignIn = (ctx: AdminContext): RouteHandler => async (req, res) => {
  try {
    const form = await readAdminForm(req);
    if (!postedCsrfOk(ctx, req, form)) return refuse(ctx, req, res, 403, 'The form was out of date. Please try again.');
    if (!ctx.entra) return ctx.replies.redirect(res, '/admin/sign-in');
    // Only now, with a genuine form posted, is a session kept (bounded: see Sessions).
    const session = ctx.sessions.read(req.headers.cookie) ?? ctx.sessions.create();
    const started = await ctx.entra.start();
    session.pending = started.pending;
    ctx.replies.redirect(res, started.url, ctx.sessions.setCookie(session));
  } catch (e) {
    ctx.replies.errorPage(res, e);
  }
};

/** `GET /admin/auth/callback`: Entra's answer; admins (the Academy.Admin role) are signed in. */
export const finishEntraSignIn = (ctx: AdminContext): RouteHandler => async (req, res) => {
  const session = ctx.sessions.read(req.headers.cookie);
  const q = requestUrl(req).searchParams;
  try {
    if (!ctx.entra || !session?.pending) throw new AcademyError(400, 'This sign-in has expired. Start again from the sign-in page.', 'state');
    const pending = session.pending;
    session.pending = undefined;
    if (q.get('state') !== pending.state) throw new AcademyError(400, 'This sign-in answer is not for this browser. Start again.', 'state');
    const error = q.get('error');
    if (error) throw new AcademyError(401, `Sign-in was not completed: ${q.get('error_description') ?? error}`, 'error');
    const code = q.get('code');
    if (!code) throw new AcademyError(400, 'The sign-in answer had no code', 'code');
    const outcome = await ctx.entra.finish(pending, code);
    if (!outcome.ok) {
      ctx.audit.record(outcome.name, 'sign-in-refused', outcome.reason);
      const body = `<p class="nhsuk-body">You are signed in as ${esc(outcome.name)}, who is not an academy admin. Ask your administrator for the Academy.Admin role.</p>`;
      return ctx.replies.html(res, 403, layout({ title: 'You cannot use the admin pages', body, cssHref: ctx.replies.cssHref }));
    }
    const signed = ctx.sessions.signIn(session, outcome.user);
    ctx.audit.record(outcome.user.name, 'sign-in', 'Entra ID');
    ctx.replies.redirect(res, '/admin', ctx.sessions.setCookie(signed));
  } catch (e) {
    ctx.replies.errorPage(res, e);
  }
};

/** `POST /admin/sign-out`. */
export const signOut = (ctx: AdminContext): RouteHandler => async (req, res) => {
  const session = ctx.sessions.read(req.headers.cookie);
  if (!session) return ctx.replies.redirect(res, '/admin/sign-in', ctx.sessions.clearCookie());
  const form = await readAdminForm(req).catch(() => new URLSearchParams());
  if (form.get('_csrf') !== session.csrf) return ctx.replies.plain(res, 403, 'The form was out of date. Reload the page and try again.');
  if (session.user) ctx.audit.record(session.user.name, 'sign-out', '');
  ctx.sessions.destroy(session);
  ctx.replies.redirect(res, '/admin/sign-in', ctx.sessions.clearCookie());
};
