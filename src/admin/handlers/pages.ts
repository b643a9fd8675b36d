/** The admin pages (HTML, or a table as CSV with ?export=csv) and the xAPI JSON export, for signed-in admins. */
import type { Request, Response } from 'restify';
import { AcademyError } from '../../errors.js';
import type { RouteHandler } from '../../http/index.js';
import { pageContext, requestUrl, signedIn, type AdminContext } from '../context.js';
import { esc, layout, tableCsv } from '../html.js';
import type { Page, PageContext, PageResult } from '../pageKit.js';
import { ADMIN_HEADERS } from '../replies.js';
import { statementsJson } from '../statementPages.js';
import type { Session } from '../auth.js';

const PAGE_BUDGET_MS = 400;

function freshness(ctx: AdminContext, upToDate: boolean): string {
  const { aggregates, minCohort, source } = ctx;
  return `Figures count statements stored up to ${aggregates.lastStored || 'now (none yet)'}${upToDate ? '' : ' — more are being read, reload in a moment'}. Figures about fewer than ${minCohort} learners are shown as “fewer than ${minCohort}”. Source: ${source.name === 'embedded' ? 'the embedded LRS' : source.name}.`;
}

function query(page: PageContext): string {
  return page.query.toString() ? `?${page.query.toString()}` : '';
}

/** One of the page's tables as CSV (every row, for a table with a full export). */
async function sendCsv(ctx: AdminContext, res: Response, session: Session, page: PageContext, result: PageResult): Promise<void> {
  const id = page.query.get('table') ?? '';
  const full = result.fullExports?.[id];
  const table = full ? await full() : result.tables.find((t) => t.id === id);
  if (!table) throw new AcademyError(404, `This page has no table "${id}"`, 'table');
  ctx.audit.record(session.user?.name ?? '', 'export', `CSV ${table.id} of ${page.path}${query(page)}`);
  res.writeHead(200, {
    ...ADMIN_HEADERS,
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="academy-${table.id}.csv"`,
    'Cache-Control': 'no-store',
  });
  res.end(tableCsv(table, ctx.minCohort));
}

/** A page: `current` is its place in the navigation, `param` the name of its path parameter. */
export function pageHandler(ctx: AdminContext, current: string, build: Page, param?: string): RouteHandler {
  return async (req: Request, res: Response) => {
    const wantsCsv = requestUrl(req).searchParams.get('export') === 'csv';
    const session = signedIn(ctx, req, res, wantsCsv ? 'data' : 'page');
    if (!session?.user) return;
    try {
      const { upToDate } = await ctx.aggregates.catchUp(PAGE_BUDGET_MS);
      const page = pageContext(ctx, req, session, requestUrl(req).pathname, param === undefined ? undefined : String(req.params?.[param] ?? ''));
      const result = await build(page);
      if (wantsCsv) return await sendCsv(ctx, res, session, page, result);
      ctx.audit.record(session.user.name, 'view', result.auditWhat ? `${page.path} (${result.auditWhat})` : `${page.path}${query(page)}`);
      const { cssHref } = ctx.replies;
      ctx.replies.html(res, 200, layout({ title: result.title, body: result.body, cssHref, user: session.user.name, csrf: session.csrf, current, footer: esc(freshness(ctx, upToDate)) }));
    } catch (e) {
      if (wantsCsv) ctx.replies.plainError(res, e);
      else ctx.replies.errorPage(res, e, session);
    }
  };
}

/** `GET /admin/export/statements.json`: the explorer's statements as xAPI JSON. */
export function exportStatements(ctx: AdminContext): RouteHandler {
  return async (req: Request, res: Response) => {
    const session = signedIn(ctx, req, res, 'data');
    if (!session?.user) return;
    try {
      const page = pageContext(ctx, req, session, '/admin/export/statements.json');
      const statements = await statementsJson(page);
      ctx.audit.record(session.user.name, 'export', `xAPI JSON of /admin/statements?${page.query.toString()} (${statements.length} statements)`);
      res.writeHead(200, {
        ...ADMIN_HEADERS,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': 'attachment; filename="academy-statements.json"',
        'Cache-Control': 'no-store',
        'X-Experience-API-Version': '1.0.3',
      });
      res.end(JSON.stringify(statements));
    } catch (e) {
      ctx.replies.plainError(res, e);
    }
  };
}
