/**
 * The statement queries of the store: the GET statements filters (Communication §2.1.3) as a
 * QueryPlan, and the SQL that runs a plan as index range scans ordered by sequence.
 */
import { AcademyError } from '../errors.js';
import { ifiKey } from './agents.js';
import type { QueryPlan } from './cursor.js';
import type { StatementFormat } from './format.js';
import { parseTimestamp } from './formats.js';
import { keyOf } from './index-keys.js';
import type { Actor, StoredStatement } from './types.js';

/** The GET statements filters (Communication §2.1.3), already validated. */
export interface StatementQuery {
  agent?: Actor;
  verb?: string;
  activity?: string;
  registration?: string;
  relatedActivities?: boolean;
  relatedAgents?: boolean;
  /** Only statements stored after this timestamp (exclusive). */
  since?: string;
  /** Only statements stored at or before this timestamp. */
  until?: string;
  /** 0 or absent: the server maximum. */
  limit?: number;
  ascending?: boolean;
  format?: StatementFormat;
}

export interface QueryOptions {
  /** The path `more` links point at (default '/xapi/statements'); the token goes in `?more=`. */
  morePath?: string;
  /** For format=canonical: the request's Accept-Language header. */
  acceptLanguage?: string;
}

export interface StatementResult {
  statements: StoredStatement[];
  /** Relative IRL of the next page, '' when there is none. */
  more: string;
}

export interface StatementRow {
  seq: number;
  statement: string;
}

export const NOT_VOIDED = `(s.voiding = 1 OR NOT EXISTS (SELECT 1 FROM lrs_voided v WHERE v.target_id = s.id))`;

/** What a plan needs from the store: sequence numbers by time, and the page size. */
export interface PlanBounds {
  /** Sequence number of the last statement stored at or before `ms` (0 if none). */
  seqStoredUpTo(ms: number): number;
  /** The newest sequence number (0 if none). */
  maxSeq(): number;
  readonly maxPageSize: number;
}

export function planQuery(filter: StatementQuery, bounds: PlanBounds): QueryPlan {
  const keys: string[] = [];
  if (filter.registration !== undefined) keys.push(keyOf.registration(filter.registration));
  if (filter.activity !== undefined) keys.push(keyOf.activity(filter.activity, filter.relatedActivities === true));
  if (filter.agent !== undefined) {
    const ifi = ifiKey(filter.agent);
    if (ifi === undefined) throw new AcademyError(400, 'agent must be an Agent or an Identified Group', 'agent');
    keys.push(keyOf.agent(ifi, filter.relatedAgents === true));
  }
  if (filter.verb !== undefined) keys.push(keyOf.verb(filter.verb));

  const sinceMs = filter.since === undefined ? undefined : parseTimestamp(filter.since);
  const untilMs = filter.until === undefined ? undefined : parseTimestamp(filter.until);
  if (filter.since !== undefined && sinceMs === undefined) {
    throw new AcademyError(400, 'since must be an ISO 8601 timestamp with a time zone', 'since');
  }
  if (filter.until !== undefined && untilMs === undefined) {
    throw new AcademyError(400, 'until must be an ISO 8601 timestamp with a time zone', 'until');
  }
  const limit = filter.limit ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new AcademyError(400, 'limit must be a non-negative integer', 'limit');
  }
  return {
    keys,
    after: sinceMs === undefined ? 0 : bounds.seqStoredUpTo(sinceMs),
    // Without `until`, pin the upper bound now so later pages are a stable snapshot.
    upTo: untilMs === undefined ? bounds.maxSeq() : bounds.seqStoredUpTo(untilMs),
    ascending: filter.ascending === true,
    limit: limit === 0 ? bounds.maxPageSize : Math.min(limit, bounds.maxPageSize),
    format: filter.format ?? 'exact',
  };
}

/** The SQL of a page when every filter key matches one index key: number of keys × direction. */
export function pageSql(keyCount: number, ascending: boolean): string {
  const order = ascending ? 'ASC' : 'DESC';
  let sql: string;
  if (keyCount === 0) {
    sql = `SELECT s.seq, s.statement FROM lrs_statements s
            WHERE s.seq > ? AND s.seq <= ? AND ${NOT_VOIDED}
            ORDER BY s.seq ${order} LIMIT ?`;
  } else {
    const probes = Array.from(
      { length: keyCount - 1 },
      (_, i) =>
        `AND EXISTS (SELECT 1 FROM lrs_statement_index i${i + 1} WHERE i${i + 1}.key_id = ? AND i${i + 1}.seq = i0.seq)`,
    ).join('\n              ');
    // CROSS JOIN and `+i0.seq`: probe the other keys on the index alone and only then read the
    // statement row. Without them SQLite reads every candidate's row first (30× slower at 1M).
    sql = `SELECT s.seq, s.statement FROM lrs_statement_index i0
            CROSS JOIN lrs_statements s
            WHERE i0.key_id = ? AND i0.seq > ? AND i0.seq <= ?
            ${probes}
              AND s.seq = +i0.seq
              AND ${NOT_VOIDED}
            ORDER BY i0.seq ${order} LIMIT ?`;
  }
  return sql;
}

/** The SQL of the seqs of a union page (see StatementStore.unionPage). */
export function unionSql(arms: number, probeSizes: number[], ascending: boolean): string {
  const probes = probeSizes
    .map((n, i) => {
      const alias = `i${i + 1}`;
      const ids = Array.from({ length: n }, () => '?').join(', ');
      return `AND EXISTS (SELECT 1 FROM lrs_statement_index ${alias} WHERE ${alias}.key_id IN (${ids}) AND ${alias}.seq = i0.seq)`;
    })
    .join('\n              ');
  // Only seqs in the arms (UNION compares whole rows) so that SQLite merges the arms' index
  // order instead of sorting each arm; CROSS JOIN and `+i0.seq` as in pageQuery.
  const arm = `SELECT i0.seq FROM lrs_statement_index i0
            CROSS JOIN lrs_statements s
            WHERE i0.key_id = ? AND i0.seq > ? AND i0.seq <= ?
            ${probes}
              AND s.seq = +i0.seq
              AND ${NOT_VOIDED}`;
  const sql = `${Array.from({ length: arms }, () => arm).join('\n            UNION\n            ')}
          ORDER BY 1 ${ascending ? 'ASC' : 'DESC'} LIMIT ?`;
  return sql;
}
