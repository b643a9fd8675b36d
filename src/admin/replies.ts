/** How the admin pages answer: HTML under a strict CSP, redirects, plain-text errors, the error and sign-in pages. */
import type { Response } from 'restify';
import { describeError, httpError, SECURITY_HEADERS, type Headers } from '../http/index.js';
import { LOCAL_ADMIN, type Session } from './auth.js';
import { esc, hidden, layout, textInput } from './html.js';

/** The toolkit's security headers, and the admin pages are never framed. */
export const ADMIN_HEADERS: Readonly<Headers> = { ...SECURITY_HEADERS, 'X-Frame-Options': 'DENY' };

function problemSummary(message: string): string {
  return `<div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1"><h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2><div class="nhsuk-error-summary__body"><p>${esc(message)}</p></div></div>`;
}

export class AdminReplies {
  constructor(
    /** The pages' Content-Security-Policy. */
    private readonly csp: string,
    /** The NHS design system's stylesheet. */
    readonly cssHref: string,
    private readonly log: (line: string) => void,
    /** Sign-in is with Microsoft Entra ID (else the local password). */
    private readonly entra: boolean,
  ) {}

  html(res: Response, status: number, html: string, cookie?: string | string[], extra: Headers = {}): void {
    res.writeHead(status, {
      ...ADMIN_HEADERS,
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': this.csp,
      ...(cookie ? { 'Set-Cookie': cookie } : {}),
      ...extra,
    });
    res.end(html);
  }

  redirect(res: Response, location: string, cookie?: string | string[]): void {
    res.writeHead(303, { ...ADMIN_HEADERS, Location: location, 'Cache-Control': 'no-store', ...(cookie ? { 'Set-Cookie': cookie } : {}) });
    res.end();
  }

  /** A page for signed-in admins only: 302 to the sign-in page. */
  redirectToSignIn(res: Response): void {
    res.writeHead(302, { ...ADMIN_HEADERS, Location: '/admin/sign-in', 'Cache-Control': 'no-store' });
    res.end();
  }

  plain(res: Response, status: number, message: string): void {
    res.writeHead(status, { ...ADMIN_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(message);
  }

  /** A failed export or data request: its status and message as plain text. */
  plainError(res: Response, e: unknown): void {
    const error = httpError(e, 'Export failed');
    this.plain(res, error.status, error.message);
  }

  /** The error page (an unexpected error is logged, its message not shown). */
  errorPage(res: Response, e: unknown, session?: Session): void {
    const { status, message, unexpected } = httpError(e, 'Something went wrong on our side.');
    if (unexpected) this.log(`Admin page error: ${describeError(e)}`);
    const body = `${problemSummary(message)}<p class="nhsuk-body"><a href="/admin">Back to the overview</a></p>`;
    this.html(res, status, layout({ title: status === 404 ? 'Not found' : 'There is a problem', body, cssHref: this.cssHref, ...(session?.user ? { user: session.user.name, csrf: session.csrf } : {}) }));
  }

  signInPage(csrf: string, message?: string): string {
    const error = message ? problemSummary(message) : '';
    const form = this.entra
      ? `<p class="nhsuk-body">Academy admins sign in with their work account (Microsoft Entra ID). You need the ${esc('Academy.Admin')} role.</p><form method="post" action="/admin/auth/start">${hidden('_csrf', csrf)}<button class="nhsuk-button" type="submit">Sign in with Microsoft</button></form>`
      : `<p class="nhsuk-body">Sign in with the local admin account. Its password was printed when the academy first started, or is ADMIN_PASSWORD.</p><form method="post" action="/admin/sign-in">${hidden('_csrf', csrf)}${textInput('username', 'Username', LOCAL_ADMIN)}${textInput('password', 'Password', '', undefined, 'password')}<button class="nhsuk-button" type="submit">Sign in</button></form>`;
    return layout({ title: 'Sign in', body: error + form, cssHref: this.cssHref });
  }
}
