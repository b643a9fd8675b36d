/** What every admin page shares: its context, its result, and the tables with their CSV export links. */
import type { AggregateStore } from './aggregates.js';
import type { AuditLog } from './audit.js';
import { renderTable, type Table } from './html.js';
import type { ChampionSource, CurationSource, StatementSource } from '../records/ports.js';

export interface PageContext {
  readonly query: URLSearchParams;
  /** Path parameter (lesson id, statement id). */
  readonly param?: string;
  readonly csrf: string;
  readonly now: Date;
  readonly minCohort: number;
  readonly idBase: string;
  readonly aggregates: AggregateStore;
  readonly source: StatementSource;
  readonly curation: CurationSource;
  readonly champions: ChampionSource;
  readonly audit: AuditLog;
  /** The page's path, for export links. */
  readonly path: string;
}

export interface PageResult {
  readonly title: string;
  readonly body: string;
  readonly tables: readonly Table[];
  /** Tables whose CSV is more than what the page shows at once (every statement of a filter). */
  readonly fullExports?: Readonly<Record<string, () => Promise<Table>>>;
  /** What the audit log records for this view (default: the path and query). */
  readonly auditWhat?: string;
}

export type Page = (ctx: PageContext) => Promise<PageResult>;

/** The most statements one export holds. */
export const EXPORT_CAP = 100_000;

export function exportHref(ctx: PageContext, tableId: string): string {
  const q = new URLSearchParams(ctx.query);
  q.delete('more');
  q.set('export', 'csv');
  q.set('table', tableId);
  return `${ctx.path}?${q.toString()}`;
}

export function tables(ctx: PageContext, ...list: Table[]): string {
  return list.map((t) => renderTable(t, ctx.minCohort, exportHref(ctx, t.id))).join('\n');
}
