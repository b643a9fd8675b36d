/**
 * The admin review of the learning records, at /admin: one call for the composition root.
 *
 *   const admin = registerAdmin(server, { config, store: lrs.store, authority: lrs.authority, clock, ids, log });
 *   await admin.eraseLearner('dl_…');   // voids the learner's statements, updates the figures
 *   admin.close();
 *
 * Pages read figures from an incrementally fed aggregate store (aggregates.ts) and statements
 * from a StatementSource (the embedded LRS, or LRS_ENDPOINT). Every view and export is audited.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { INetworkModule } from '@azure/msal-node';
import type { Request, Response, Server } from 'restify';
import type { Config } from '../config.js';
import { AcademyError, isAcademyError } from '../errors.js';
import type { StatementStore } from '../lrs/store.js';
import type { Agent } from '../lrs/types.js';
import type { Clock, IdGenerator } from '../ports.js';
import { AggregateStore } from './aggregates.js';
import { AuditLog } from './audit.js';
import { EntraSignIn, LOCAL_ADMIN, Sessions, Throttle, localPassword, verifyPassword, type Session } from './auth.js';
import { esc, hidden, layout, tableCsv, textInput } from './html.js';
import {
  auditPage,
  championsPage,
  learnersPage,
  overviewPage,
  questionsPage,
  statementPage,
  statementsJson,
  statementsPage,
  topicPage,
  topicsPage,
  type Page,
  type PageContext,
} from './pages.js';
import { emptyChampions, emptyContent, emptyCuration, type ChampionSource, type ContentSource, type CurationSource, type StatementSource } from '../records/ports.js';
import { renderPrivacyPage } from './privacy.js';
import { contentPage } from './contentPage.js';
import { EmbeddedStatementSource, HttpStatementSource } from '../records/sources.js';
import { dataPaths } from '../paths.js';
import { EmbeddedLearnerRecords } from '../privacy/learnerRecords.js';
import { dataKey } from '../secrets.js';

export interface AdminDeps {
  readonly config: Config;
  /** The embedded LRS: erasure voids statements here. */
  readonly store: StatementStore;
  /** The academy's authority (voiding statements are made by it). */
  readonly authority: Agent;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly log: (line: string) => void;
  /** Read this StatementSource instead of the default (LRS_ENDPOINT when set, else the embedded LRS). */
  readonly source?: StatementSource;
  readonly curation?: CurationSource;
  readonly champions?: ChampionSource;
  /** The lessons and learners' card reports, for the Content page. */
  readonly content?: ContentSource;
  /** msal-node network client (e.g. trusting a private CA); default: msal's own. */
  readonly entraNetwork?: INetworkModule;
  /** Serve the learners' /privacy page (default true). */
  readonly privacyPage?: boolean;
}

export interface AdminHandle {
  readonly aggregates: AggregateStore;
  readonly audit: AuditLog;
  readonly source: StatementSource;
  /** Voids every statement of the learner in the embedded LRS and updates the figures; returns how many. */
  eraseLearner(learnerId: string): Promise<number>;
  /** Reads new statements into the figures now. */
  refresh(): Promise<void>;
  /** How many admin sessions the server keeps (signed in, or an Entra sign-in under way). */
  sessionCount(): number;
  close(): void;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
} as const;

const PAGE_BUDGET_MS = 400;

function nhsukDir(): string {
  const main = createRequire(import.meta.url).resolve('nhsuk-frontend/package.json');
  return join(dirname(main), 'dist', 'nhsuk');
}

/** nhsuk-frontend's CSS without its web fonts (they come from a CDN) and with image URLs under /admin/static. */
function nhsukCss(): Buffer {
  const css = readFileSync(join(nhsukDir(), 'nhsuk-frontend.min.css'), 'utf8')
    .replace(/@font-face\s*\{[^}]*\}/g, '')
    .replace(/url\(\/assets\//g, 'url(/admin/static/assets/');
  return Buffer.from(css);
}

const ADMIN_CSS = `
.admin-service-name{color:#fff;font-weight:600;font-size:1.25rem;text-decoration:none}
.admin-service-name:hover{text-decoration:underline}
.admin-account{display:flex;gap:1rem;align-items:center;justify-content:flex-end;padding-top:.5rem}
.admin-account p{margin:0}
.admin-chart svg{max-width:100%;height:auto;background:#fff}
.admin-chart__bar{fill:#005eb8}
.admin-chart__axis{stroke:#4c6272;stroke-width:1}
.admin-chart__label{font-size:12px;fill:#212b32}
.admin-json{white-space:pre-wrap;word-break:break-all;background:#fff;padding:1rem;border:1px solid #d8dde0;font-size:.875rem}
.nhsuk-table-container{overflow-x:auto}
`;

function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new AcademyError(413, 'The form is too large', 'body'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

export function registerAdmin(server: Server, deps: AdminDeps): AdminHandle {
  const { config, clock, log } = deps;
  const admin = config.admin;
  const paths = dataPaths(config);
  const idBase = config.xapiIdBase;
  const source: StatementSource =
    deps.source ?? (config.lrs.endpoint ? new HttpStatementSource({ endpoint: config.lrs.endpoint, key: config.lrs.key, secret: config.lrs.secret, version: config.lrs.version }) : new EmbeddedStatementSource(deps.store));
  const aggregates = new AggregateStore({ file: paths.adminAggregates, source, idBase });
  const audit = new AuditLog(paths.adminAudit, clock);
  const curation = deps.curation ?? emptyCuration;
  const champions = deps.champions ?? emptyChampions;
  const secure = config.baseUrl.startsWith('https:');
  const sessions = new Sessions(dataKey(paths.adminSessionKey), clock, admin.idleMinutes * 60_000, secure);
  const throttle = new Throttle(clock);
  const redirectUri = `${config.baseUrl}/admin/auth/callback`;
  const entra = admin.entra ? new EntraSignIn(admin.entra, admin.adminUsers, redirectUri, deps.entraNetwork) : undefined;
  // The local password hash is made (or read) now, in the background; sign-in waits for it.
  const password = entra ? undefined : localPassword(paths.adminPassword, admin.password, log);
  password?.catch((e) => log(`Admin password: ${String(e)}`));
  const formAction = ["'self'", ...(admin.entra ? [new URL(admin.entra.authority).origin] : [])].join(' ');
  const csp = `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;

  // Static files: the NHS design system's CSS and icons, from node_modules.
  const css = nhsukCss();
  const cssHref = '/admin/static/nhsuk.css';
  const images = new Set(readdirSync(join(nhsukDir(), 'assets', 'images')));
  const sendStatic = (res: Response, type: string, body: Buffer | string) => {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' });
    res.end(body);
  };
  server.get('/admin/static/nhsuk.css', async (_req: Request, res: Response) => sendStatic(res, 'text/css; charset=utf-8', css));
  server.get('/admin/static/admin.css', async (_req: Request, res: Response) => sendStatic(res, 'text/css; charset=utf-8', ADMIN_CSS));
  server.get('/admin/static/assets/images/:file', async (req: Request, res: Response) => {
    const file = String(req.params?.file ?? '');
    if (!images.has(file)) {
      res.writeHead(404, SECURITY_HEADERS);
      res.end();
      return;
    }
    const type = file.endsWith('.svg') ? 'image/svg+xml' : file.endsWith('.png') ? 'image/png' : 'image/x-icon';
    sendStatic(res, type, readFileSync(join(nhsukDir(), 'assets', 'images', file)));
  });

  const sendHtml = (res: Response, status: number, html: string, cookie?: string | string[], extra: Record<string, string> = {}) => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': csp,
      ...(cookie ? { 'Set-Cookie': cookie } : {}),
      ...extra,
    });
    res.end(html);
  };
  const redirect = (res: Response, location: string, cookie?: string | string[]) => {
    res.writeHead(303, { ...SECURITY_HEADERS, Location: location, 'Cache-Control': 'no-store', ...(cookie ? { 'Set-Cookie': cookie } : {}) });
    res.end();
  };
  const plainError = (res: Response, status: number, message: string) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(message);
  };
  const errorPage = (res: Response, e: unknown, session?: Session) => {
    const status = isAcademyError(e) ? e.status : 500;
    const message = isAcademyError(e) ? e.message : 'Something went wrong on our side.';
    if (!isAcademyError(e)) log(`Admin page error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    const body = `<div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1"><h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2><div class="nhsuk-error-summary__body"><p>${esc(message)}</p></div></div><p class="nhsuk-body"><a href="/admin">Back to the overview</a></p>`;
    sendHtml(res, status, layout({ title: status === 404 ? 'Not found' : 'There is a problem', body, cssHref, ...(session?.user ? { user: session.user.name, csrf: session.csrf } : {}) }));
  };
  const url = (req: Request) => new URL(req.url ?? '/', 'http://admin.invalid');

  const signInPage = (csrf: string, message?: string): string => {
    const error = message ? `<div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1"><h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2><div class="nhsuk-error-summary__body"><p>${esc(message)}</p></div></div>` : '';
    const form = entra
      ? `<p class="nhsuk-body">Academy admins sign in with their work account (Microsoft Entra ID). You need the ${esc('Academy.Admin')} role.</p><form method="post" action="/admin/auth/start">${hidden('_csrf', csrf)}<button class="nhsuk-button" type="submit">Sign in with Microsoft</button></form>`
      : `<p class="nhsuk-body">Sign in with the local admin account. Its password was printed when the academy first started, or is ADMIN_PASSWORD.</p><form method="post" action="/admin/sign-in">${hidden('_csrf', csrf)}${textInput('username', 'Username', LOCAL_ADMIN)}${textInput('password', 'Password', '', undefined, 'password')}<button class="nhsuk-button" type="submit">Sign in</button></form>`;
    return layout({ title: 'Sign in', body: error + form, cssHref });
  };

  /** The signed-in session, or the anonymous answer: 302 to sign-in for pages, 401 for data and forms. */
  const signedIn = (req: Request, res: Response, kind: 'page' | 'data'): Session | undefined => {
    const session = sessions.read(req.headers.cookie);
    if (session?.user) return session;
    if (kind === 'page') {
      res.writeHead(302, { ...SECURITY_HEADERS, Location: '/admin/sign-in', 'Cache-Control': 'no-store' });
      res.end();
    } else plainError(res, 401, 'Sign in at /admin/sign-in first.');
    return undefined;
  };

  const context = (req: Request, session: Session, path: string, param?: string): PageContext => ({
    query: url(req).searchParams,
    ...(param !== undefined ? { param } : {}),
    csrf: session.csrf,
    now: clock.now(),
    minCohort: admin.minCohort,
    idBase,
    aggregates,
    source,
    curation,
    champions,
    audit,
    path,
  });

  const freshness = (upToDate: boolean): string =>
    `Figures count statements stored up to ${aggregates.lastStored || 'now (none yet)'}${upToDate ? '' : ' — more are being read, reload in a moment'}. Figures about fewer than ${admin.minCohort} learners are shown as “fewer than ${admin.minCohort}”. Source: ${source.name === 'embedded' ? 'the embedded LRS' : source.name}.`;

  const page = (path: string, current: string, build: Page, param?: string) =>
    server.get(path, async (req: Request, res: Response) => {
      const wantsCsv = url(req).searchParams.get('export') === 'csv';
      const session = signedIn(req, res, wantsCsv ? 'data' : 'page');
      if (!session?.user) return;
      try {
        const { upToDate } = await aggregates.catchUp(PAGE_BUDGET_MS);
        const ctx = context(req, session, url(req).pathname, param === undefined ? undefined : String(req.params?.[param] ?? ''));
        const result = await build(ctx);
        if (wantsCsv) {
          const id = ctx.query.get('table') ?? '';
          const full = result.fullExports?.[id];
          const table = full ? await full() : result.tables.find((t) => t.id === id);
          if (!table) throw new AcademyError(404, `This page has no table "${id}"`, 'table');
          audit.record(session.user.name, 'export', `CSV ${table.id} of ${ctx.path}${ctx.query.toString() ? `?${ctx.query.toString()}` : ''}`);
          res.writeHead(200, {
            ...SECURITY_HEADERS,
            'Content-Type': 'text/csv; charset=utf-8',
            'Content-Disposition': `attachment; filename="academy-${table.id}.csv"`,
            'Cache-Control': 'no-store',
          });
          res.end(tableCsv(table, admin.minCohort));
          return;
        }
        audit.record(session.user.name, 'view', result.auditWhat ? `${ctx.path} (${result.auditWhat})` : `${ctx.path}${ctx.query.toString() ? `?${ctx.query.toString()}` : ''}`);
        sendHtml(res, 200, layout({ title: result.title, body: result.body, cssHref, user: session.user.name, csrf: session.csrf, current, footer: esc(freshness(upToDate)) }));
      } catch (e) {
        if (wantsCsv) plainError(res, isAcademyError(e) ? e.status : 500, isAcademyError(e) ? e.message : 'Export failed');
        else errorPage(res, e, session);
      }
    });

  page('/admin', '/admin', overviewPage);
  page('/admin/topics', '/admin/topics', topicsPage);
  page('/admin/topics/:lesson', '/admin/topics', topicPage, 'lesson');
  page('/admin/questions', '/admin/questions', questionsPage);
  page('/admin/content', '/admin/content', contentPage(deps.content ?? emptyContent));
  page('/admin/champions', '/admin/champions', championsPage);
  page('/admin/learners', '/admin/learners', learnersPage);
  page('/admin/statements', '/admin/statements', statementsPage);
  page('/admin/statements/:id', '/admin/statements', statementPage, 'id');
  page('/admin/audit', '/admin/audit', auditPage);

  server.get('/admin/export/statements.json', async (req: Request, res: Response) => {
    const session = signedIn(req, res, 'data');
    if (!session?.user) return;
    try {
      const ctx = context(req, session, '/admin/export/statements.json');
      const statements = await statementsJson(ctx);
      audit.record(session.user.name, 'export', `xAPI JSON of /admin/statements?${ctx.query.toString()} (${statements.length} statements)`);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': 'attachment; filename="academy-statements.json"',
        'Cache-Control': 'no-store',
        'X-Experience-API-Version': '1.0.3',
      });
      res.end(JSON.stringify(statements));
    } catch (e) {
      plainError(res, isAcademyError(e) ? e.status : 500, isAcademyError(e) ? e.message : 'Export failed');
    }
  });

  /** A form post from a signed-in admin with the session's CSRF token. */
  const post = (path: string, handle: (req: Request, res: Response, session: Session, form: URLSearchParams) => Promise<void>) =>
    server.post(path, async (req: Request, res: Response) => {
      const session = signedIn(req, res, 'data');
      if (!session?.user) return;
      try {
        const form = await readBody(req);
        if (form.get('_csrf') !== session.csrf) throw new AcademyError(403, 'The form was out of date. Go back, reload the page and try again.', '_csrf');
        await handle(req, res, session, form);
      } catch (e) {
        errorPage(res, e, session);
      }
    });

  post('/admin/questions/:id/attach', async (req, res, session, form) => {
    const id = String(req.params?.id ?? '');
    const topic = form.get('topic') ?? '';
    if (!/^[a-z-]+\.[a-z0-9-]+$/.test(topic)) throw new AcademyError(400, 'topic must be a topic code such as nhs-app.register', 'topic');
    await curation.attachToTopic(id, topic, session.user?.name ?? '');
    audit.record(session.user?.name ?? '', 'curate', `question ${id} added to topic ${topic}`);
    redirect(res, '/admin/questions');
  });
  post('/admin/questions/:id/handled', async (req, res, session) => {
    const id = String(req.params?.id ?? '');
    await curation.markHandled(id, session.user?.name ?? '');
    audit.record(session.user?.name ?? '', 'curate', `question ${id} marked handled`);
    redirect(res, '/admin/questions');
  });

  post('/admin/champions/conversation', async (_req, res, session, form) => {
    const id = form.get('conversation') ?? '';
    if (!/^[A-Za-z0-9]{1,8}:[^\s"'<>;,]{1,250}$/.test(id)) throw new AcademyError(400, 'conversation must be a Teams conversation id', 'conversation');
    if (!champions.choose) throw new AcademyError(404, "The champions' conversation cannot be chosen here", 'conversation');
    await champions.choose(id);
    audit.record(session.user?.name ?? '', 'champions', `champions' conversation set to ${id}`);
    redirect(res, '/admin/champions');
  });

  // --- sign-in and sign-out ---------------------------------------------------------------------

  /**
   * The sign-in form's CSRF token: the session's if there is one, else a pre-session's (nothing is
   * kept on the server until a form is posted). `cookie` is set for a new pre-session.
   */
  const formCsrf = (req: Request): { csrf: string; cookie?: string } => {
    const existing = sessions.read(req.headers.cookie);
    return existing ? { csrf: existing.csrf } : sessions.preSession(req.headers.cookie);
  };
  /** The sign-in page again, with a message (and a fresh pre-session when needed). */
  const refuse = (req: Request, res: Response, status: number, message: string, extra: Record<string, string> = {}) => {
    const { csrf, cookie } = formCsrf(req);
    sendHtml(res, status, signInPage(csrf, message), cookie, extra);
  };
  const postedCsrfOk = (req: Request, form: URLSearchParams): boolean => {
    const expected = sessions.expectedCsrf(req.headers.cookie);
    return expected !== undefined && form.get('_csrf') === expected;
  };

  server.get('/admin/sign-in', async (req: Request, res: Response) => {
    if (sessions.read(req.headers.cookie)?.user) return redirect(res, '/admin');
    const { csrf, cookie } = formCsrf(req);
    sendHtml(res, 200, signInPage(csrf), cookie);
  });

  server.post('/admin/sign-in', async (req: Request, res: Response) => {
    try {
      const form = await readBody(req);
      if (!postedCsrfOk(req, form)) return refuse(req, res, 403, 'The form was out of date. Please try again.');
      if (!password) return refuse(req, res, 400, 'Sign in with Microsoft.');
      const username = form.get('username') ?? '';
      const key = Throttle.key(username, req.socket.remoteAddress ?? 'unknown', sessions.device(req.headers.cookie));
      const wait = throttle.retryAfterMs(key);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        return refuse(req, res, 429, `Too many failed sign-ins. Wait ${seconds} seconds and try again.`, { 'Retry-After': String(seconds) });
      }
      const ok = username === LOCAL_ADMIN && (await verifyPassword(form.get('password') ?? '', await password));
      if (!ok) {
        throttle.fail(key);
        audit.record(username.slice(0, 100) || '(blank)', 'sign-in-refused', 'local password');
        return refuse(req, res, 401, 'The username or password is not right.');
      }
      throttle.succeed(key);
      const signed = sessions.signIn(sessions.read(req.headers.cookie), { name: LOCAL_ADMIN, via: 'local' });
      audit.record(LOCAL_ADMIN, 'sign-in', 'local password');
      redirect(res, '/admin', [sessions.setCookie(signed), sessions.deviceCookie(req.headers.cookie)]);
    } catch (e) {
      errorPage(res, e);
    }
  });

  server.post('/admin/auth/start', async (req: Request, res: Response) => {
    try {
      const form = await readBody(req);
      if (!postedCsrfOk(req, form)) return refuse(req, res, 403, 'The form was out of date. Please try again.');
      if (!entra) return redirect(res, '/admin/sign-in');
      // Only now, with a genuine form posted, is a session kept (bounded: see Sessions).
      const session = sessions.read(req.headers.cookie) ?? sessions.create();
      const started = await entra.start();
      session.pending = started.pending;
      redirect(res, started.url, sessions.setCookie(session));
    } catch (e) {
      errorPage(res, e);
    }
  });

  server.get('/admin/auth/callback', async (req: Request, res: Response) => {
    const session = sessions.read(req.headers.cookie);
    const q = url(req).searchParams;
    try {
      if (!entra || !session?.pending) throw new AcademyError(400, 'This sign-in has expired. Start again from the sign-in page.', 'state');
      const pending = session.pending;
      session.pending = undefined;
      if (q.get('state') !== pending.state) throw new AcademyError(400, 'This sign-in answer is not for this browser. Start again.', 'state');
      const error = q.get('error');
      if (error) throw new AcademyError(401, `Sign-in was not completed: ${q.get('error_description') ?? error}`, 'error');
      const code = q.get('code');
      if (!code) throw new AcademyError(400, 'The sign-in answer had no code', 'code');
      const outcome = await entra.finish(pending, code);
      if (!outcome.ok) {
        audit.record(outcome.name, 'sign-in-refused', outcome.reason);
        return sendHtml(res, 403, layout({ title: 'You cannot use the admin pages', body: `<p class="nhsuk-body">You are signed in as ${esc(outcome.name)}, who is not an academy admin. Ask your administrator for the Academy.Admin role.</p>`, cssHref }));
      }
      const signed = sessions.signIn(session, outcome.user);
      audit.record(outcome.user.name, 'sign-in', 'Entra ID');
      redirect(res, '/admin', sessions.setCookie(signed));
    } catch (e) {
      errorPage(res, e);
    }
  });

  server.post('/admin/sign-out', async (req: Request, res: Response) => {
    const session = sessions.read(req.headers.cookie);
    if (!session) return redirect(res, '/admin/sign-in', sessions.clearCookie());
    const form = await readBody(req).catch(() => new URLSearchParams());
    if (form.get('_csrf') !== session.csrf) return plainError(res, 403, 'The form was out of date. Reload the page and try again.');
    if (session.user) audit.record(session.user.name, 'sign-out', '');
    sessions.destroy(session);
    redirect(res, '/admin/sign-in', sessions.clearCookie());
  });

  if (deps.privacyPage !== false) {
    server.get('/privacy', async (_req: Request, res: Response) => sendHtml(res, 200, renderPrivacyPage(cssHref, admin.minCohort)));
  }

  // New statements are read in the background too, so page views rarely wait.
  const timer = setInterval(() => {
    aggregates.catchUp(2000).catch((e) => log(`Admin figures: ${String(e)}`));
  }, 10_000);
  timer.unref();

  const eraseLearner = async (learnerId: string): Promise<number> => {
    if (!learnerId || learnerId.length > 200) throw new AcademyError(400, 'learnerId must be a learner id', 'learnerId');
    // The one erasure (src/privacy/learnerRecords.ts), on the embedded LRS.
    const voided = await new EmbeddedLearnerRecords(deps.store, idBase, deps.authority, clock, deps.ids).erase(learnerId);
    await aggregates.catchUp();
    return voided;
  };

  return {
    aggregates,
    audit,
    source,
    eraseLearner,
    refresh: async () => {
      await aggregates.catchUp();
    },
    sessionCount: () => sessions.size,
    close: () => {
      clearInterval(timer);
      aggregates.close();
      audit.close();
    },
  };
}

export { AggregateStore } from './aggregates.js';
export { AuditLog, type AuditEntry } from './audit.js';
export { ADMIN_ROLE, networkWithCa } from './auth.js';
export { EmbeddedStatementSource, HttpStatementSource } from '../records/sources.js';
export * from '../records/ports.js';
