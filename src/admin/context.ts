/**
 * What the admin handlers share: the stores, the sessions and sign-in, how to answer, and the
 * signed-in check. Made once by registerAdmin.
 */
import type { Request, Response } from 'restify';
import type { Clock } from '../ports.js';
import { dataPaths } from '../paths.js';
import { dataKey } from '../secrets.js';
import { AggregateStore } from './aggregates.js';
import { AuditLog } from './audit.js';
import { EntraSignIn, Sessions, Throttle, localPassword, type Session } from './auth.js';
import type { AdminDeps } from './types.js';
import type { PageContext } from './pageKit.js';
import { emptyChampions, emptyCuration, type ChampionSource, type CurationSource, type StatementSource } from '../records/ports.js';
import { AdminReplies } from './replies.js';
import { EmbeddedStatementSource, HttpStatementSource } from '../records/sources.js';
import { CSS_HREF } from './static.js';

export interface AdminContext {
  readonly minCohort: number;
  readonly idBase: string;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  readonly aggregates: AggregateStore;
  readonly audit: AuditLog;
  readonly source: StatementSource;
  readonly curation: CurationSource;
  readonly champions: ChampionSource;
  readonly sessions: Sessions;
  readonly throttle: Throttle;
  /** Set when admins sign in with Microsoft Entra ID. */
  readonly entra?: EntraSignIn;
  /** The local admin password's hash (made or read in the background), when there is no Entra. */
  readonly password?: ReturnType<typeof localPassword>;
  readonly replies: AdminReplies;
}

export function adminContext(deps: AdminDeps): AdminContext {
  const { config, clock, log } = deps;
  const admin = config.admin;
  const paths = dataPaths(config);
  const idBase = config.xapiIdBase;
  const source: StatementSource =
    deps.source ?? (config.lrs.endpoint ? new HttpStatementSource({ endpoint: config.lrs.endpoint, key: config.lrs.key, secret: config.lrs.secret, version: config.lrs.version }) : new EmbeddedStatementSource(deps.store));
  const secure = config.baseUrl.startsWith('https:');
  const redirectUri = `${config.baseUrl}/admin/auth/callback`;
  const entra = admin.entra ? new EntraSignIn(admin.entra, admin.adminUsers, redirectUri, deps.entraNetwork) : undefined;
  // The local password hash is made (or read) now, in the background; sign-in waits for it.
  const password = entra ? undefined : localPassword(paths.adminPassword, admin.password, log);
  password?.catch((e) => log(`Admin password: ${String(e)}`));
  const formAction = ["'self'", ...(admin.entra ? [new URL(admin.entra.authority).origin] : [])].join(' ');
  const csp = `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
  return {
    minCohort: admin.minCohort,
    idBase,
    clock,
    log,
    aggregates: new AggregateStore({ file: paths.adminAggregates, source, idBase }),
    audit: new AuditLog(paths.adminAudit, clock),
    source,
    curation: deps.curation ?? emptyCuration,
    champions: deps.champions ?? emptyChampions,
    sessions: new Sessions(dataKey(paths.adminSessionKey), clock, admin.idleMinutes * 60_000, secure),
    throttle: new Throttle(clock),
    ...(entra ? { entra } : {}),
    ...(password ? { password } : {}),
    replies: new AdminReplies(csp, CSS_HREF, log, entra !== undefined),
  };
}

/** The request's URL (for its path and query). */
export function requestUrl(req: Request): URL {
  return new URL(req.url ?? '/', 'http://admin.invalid');
}

/** The signed-in session, or the anonymous answer: 302 to sign-in for pages, 401 for data and forms. */
export function signedIn(ctx: AdminContext, req: Request, res: Response, kind: 'page' | 'data'): Session | undefined {
  const session = ctx.sessions.read(req.headers.cookie);
  if (session?.user) return session;
  if (kind === 'page') ctx.replies.redirectToSignIn(res);
  else ctx.replies.plain(res, 401, 'Sign in at /admin/sign-in first.');
  return undefined;
}

/** What a page is built from. */
export function pageContext(ctx: AdminContext, req: Request, session: Session, path: string, param?: string): PageContext {
  return {
    query: requestUrl(req).searchParams,
    ...(param !== undefined ? { param } : {}),
    csrf: session.csrf,
    now: ctx.clock.now(),
    minCohort: ctx.minCohort,
    idBase: ctx.idBase,
    aggregates: ctx.aggregates,
    source: ctx.source,
    curation: ctx.curation,
    champions: ctx.champions,
    audit: ctx.audit,
    path,
  };
}
