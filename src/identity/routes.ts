import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response, Server } from 'restify';
import { AcademyError } from '../errors.js';
import { describeError, httpError, readForm } from '../http/index.js';
import { clientAddress, type RateLimiter } from '../security/rateLimit.js';
import type { WebIdentity } from './index.js';

export interface ResumeRouteDeps {
  readonly identity: WebIdentity;
  /** Attempts per IP address. */
  readonly limiter: RateLimiter;
  readonly trustProxy: boolean;
  readonly log: (line: string) => void;
}

const MAX_FORM = 1024;

/**
 * `GET /resume`: a form for a resume code; `POST /resume`: a current code binds this browser to
 * its learner (the learner cookie) and goes to the chat. Same-origin posts only, rate limited.
 */
export function registerResumeRoutes(server: Server, deps: ResumeRouteDeps): void {
  server.get('/resume', async (_req: Request, res: Response) => sendPage(res, 200, ''));
  server.post('/resume', async (req: Request, res: Response) => {
    try {
      refuseCrossSite(req);
      deps.limiter.take(clientAddress(req, deps.trustProxy), 'resume attempts from this address');
      const learnerId = deps.identity.codes.redeem((await readForm(req, { limit: MAX_FORM, tooLarge: () => new AcademyError(413, 'The form is too large', 'code') })).get('code'));
      if (!learnerId) return sendPage(res, 400, 'That code did not work. Check it and try again, or ask for a new one in your other browser.');
      deps.identity.bind(res, learnerId);
      res.writeHead(303, { Location: '/', 'Cache-Control': 'no-store' });
      res.end();
    } catch (e) {
      const error = httpError(e, 'Something went wrong on our side');
      if (error.unexpected) deps.log(`resume: ${describeError(e)}`);
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      sendPage(res, error.status, `${error.message}.`);
    }
  });
}

/** A form post must come from the academy's own pages (a login-CSRF guard: SameSite does not cover it). */
function refuseCrossSite(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new AcademyError(403, 'Type the code on this site', 'origin');
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let host = '';
  try {
    host = new URL(origin).host;
  } catch {
    host = '';
  }
  if (host !== req.headers.host) throw new AcademyError(403, 'Type the code on this site', 'origin');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendPage(res: ServerResponse, status: number, problem: string): void {
  const html = `<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Carry on in this browser – Digital Skills Academy</title>
<link rel="stylesheet" href="/static/academy.css"></head>
<body><main id="main" class="resume">
<h1>Carry on in this browser</h1>
<p>In the browser where you learn now, type <strong>resume code</strong> in the chat. Type the code it shows you here.</p>
${problem ? `<p class="resume-error" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/resume">
<label for="code">Resume code</label>
<input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="60" required>
<button type="submit">Carry on learning</button>
</form>
<p>Anyone with your code can see and delete your progress. In the chat, type <strong>revoke resume code</strong> to stop a code working.</p>
</main></body></html>
`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // same-origin (not no-referrer): the form's POST must carry the page's Origin, which POST /resume checks.
    'Referrer-Policy': 'same-origin',
    'Content-Security-Policy': "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  });
  res.end(html);
}
