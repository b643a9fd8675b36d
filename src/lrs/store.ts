/**
 * The statement store of the embedded LRS, over better-sqlite3 (schema in schema.ts).
 *
 *  - insert(): validates the whole batch first, then stores it in one IMMEDIATE transaction (all
 *    or nothing), assigning id / stored / authority / version / timestamp (xAPI-Data.md §2.4).
 *  - a re-sent id with a matching statement (§2.3.1.s9) is a no-op; a different one is 409.
 *  - voiding (§2.3.2) is recorded in lrs_voided; voided statements are hidden from get()/query()
 *    and returned by getVoided().
 *  - query(): the GET statements filters (Communication §2.1.3) as index range scans ordered by
 *    sequence, newest first unless ascending, paged through an opaque `more` token.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/sqlite.js';
import { AcademyError } from '../errors.js';
import { randomIds, type Clock, type IdGenerator } from '../ports.js';
import { ActivityDefinitions } from './activities.js';
import { statementsMatch } from './compare.js';
import { decodeCursor, encodeCursor, type QueryPlan } from './cursor.js';
import { formatStatement, type StatementFormat } from './format.js';
import { matchingKeys, statementIndexKeys } from './index-keys.js';
import { pageSql, planQuery, unionSql, type QueryOptions, type StatementQuery, type StatementResult, type StatementRow } from './query.js';
import { migrate } from './schema.js';
import { isStatementRef, isSubStatement, isVoiding, normalizeContext, type Actor, type Statement, type StoredStatement } from './types.js';
import { validateStatements } from './validate.js';

export type { QueryOptions, StatementQuery, StatementResult } from './query.js';

export interface StatementStoreOptions {
  /** Statement ids for statements sent without one (default: random UUIDs). */
  ids?: IdGenerator;
  /** The most statements one page returns (limit=0 or a larger limit gives this). Default 100. */
  maxPageSize?: number;
  /**
   * Reject a voiding statement whose target is not stored (400). Default true. xAPI says an LRS
   * SHOULD NOT reject on that ground (Data §2.3.2.s2.b5, tested by the 2.0.0 suite): set false
   * and the target is treated as voided whenever it arrives.
   */
  requireVoidTarget?: boolean;
  /** SQLite page cache in MB (default 32); the OS page cache holds the rest of the file. */
  cacheSizeMb?: number;
  /** Key that signs `more` tokens (DATA_DIR/lrs-cursor-key); default a fresh random key (tokens end with the process). */
  cursorKey?: Buffer;
}

interface LookupRow {
  seq: number;
  statement: string;
  voiding: number;
  voided: number;
}

const DEFAULT_MAX_PAGE_SIZE = 100;
/** Interned key ids kept in memory; past this the map is dropped (misses are one indexed SELECT). */
const KEY_CACHE_LIMIT = 20_000;
/** Index rows inserted by one SQLite call (a bot statement has about 9). */
const INDEX_ROWS_PER_CALL = 16;
export class StatementStore {
  readonly db: Database.Database;
  /** Merged Activity definitions for the Activities Resource, kept in the insert transaction. */
  readonly activities: ActivityDefinitions;
  private readonly ids: IdGenerator;
  private readonly maxPageSize: number;
  private readonly cursorKey: Buffer;
  private readonly requireVoidTarget: boolean;
  private readonly keyIds = new Map<string, number>();
  private readonly queryCache = new Map<string, Database.Statement<(string | number)[], StatementRow>>();
  private readonly unionCache = new Map<string, Database.Statement<number[], number>>();
  /** `INSERT … VALUES (?, ?), (?, ?) …` by row count: a statement's index rows in one call. */
  private readonly insertIndexRows = new Map<number, Database.Statement<number[]>>();

  private readonly selectById;
  private readonly selectBySeq;
  private readonly selectLastStored;
  private readonly selectMaxSeq;
  private readonly selectSeqStoredUpTo;
  private readonly selectKeyId;
  private readonly insertKey;
  private readonly insertStatement;
  private readonly selectReferrers;
  private readonly insertVoided;
  private readonly countStatements;
  private readonly countKeyRange;
  private readonly insertBatch;

  constructor(
    file: string,
    private readonly clock: Clock,
    options: StatementStoreOptions = {},
  ) {
    this.ids = options.ids ?? randomIds;
    this.maxPageSize = options.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE;
    this.cursorKey = options.cursorKey ?? randomBytes(32);
    this.requireVoidTarget = options.requireVoidTarget ?? true;
    // Checkpoint every ~64 MB of WAL rather than 4 MB: index pages dirtied by many batches are
    // then written back once, which roughly halves the I/O of sustained inserts.
    this.db = openSqlite(file, {
      synchronous: 'NORMAL',
      walAutocheckpoint: 16384,
      journalSizeLimit: 128 * 1024 * 1024,
      cacheKb: (options.cacheSizeMb ?? 32) * 1024,
      // The HTTP routes run insert() inside their own transaction (with the attachments), so it is
      // a savepoint, and SQLite copies every page it changes to a statement journal: in memory
      // rather than a temp file (a few hundred KB per batch of 50; ~15% more POST throughput).
      tempStore: 'MEMORY',
    });
    migrate(this.db);
    this.activities = new ActivityDefinitions(this.db);

    const db = this.db;
    this.selectById = db.prepare<[string], LookupRow>(
      `SELECT s.seq, s.statement, s.voiding,
              EXISTS (SELECT 1 FROM lrs_voided v WHERE v.target_id = s.id) AS voided
         FROM lrs_statements s WHERE s.id = ?`,
    );
    this.selectBySeq = db.prepare<[number], StatementRow>(`SELECT seq, statement FROM lrs_statements WHERE seq = ?`);
    this.selectLastStored = db.prepare<[], { stored: number }>(
      `SELECT stored FROM lrs_statements ORDER BY seq DESC LIMIT 1`,
    );
    this.selectMaxSeq = db.prepare<[], { seq: number | null }>(`SELECT max(seq) AS seq FROM lrs_statements`);
    // `stored` never decreases with seq, so the last row in (stored, seq) order is the max seq:
    // one index seek instead of max() over every row stored up to then.
    this.selectSeqStoredUpTo = db.prepare<[number], { seq: number }>(
      `SELECT seq FROM lrs_statements WHERE stored <= ? ORDER BY stored DESC, seq DESC LIMIT 1`,
    );
    this.selectKeyId = db.prepare<[string], { key_id: number }>(`SELECT key_id FROM lrs_index_keys WHERE key = ?`);
    this.insertKey = db.prepare<[string]>(`INSERT INTO lrs_index_keys (key) VALUES (?)`);
    // ON CONFLICT DO NOTHING: a re-sent id changes nothing (changes = 0) and is then compared.
    this.insertStatement = db.prepare<[string, number, string, string | null, string | null, number, string]>(
      `INSERT INTO lrs_statements (id, stored, verb_id, registration, ref_id, voiding, statement)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    this.selectReferrers = db.prepare<[string], { seq: number; id: string }>(
      `SELECT seq, id FROM lrs_statements WHERE ref_id = ?`,
    );
    this.insertVoided = db.prepare<[string, number]>(
      `INSERT OR IGNORE INTO lrs_voided (target_id, voiding_seq) VALUES (?, ?)`,
    );
    this.countStatements = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM lrs_statements`);
    this.countKeyRange = db.prepare<[number, number, number, number], { n: number }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM lrs_statement_index
         WHERE key_id = ? AND seq > ? AND seq <= ? LIMIT ?)`,
    );
    this.insertBatch = db.transaction((statements: Statement[], authority: Actor) => {
      const ids = this.insertValidated(statements, authority);
      this.activities.record(statements);
      return ids;
    });
  }

  /**
   * Validates and stores statements atomically; returns their ids in order. Throws
   * AcademyError 400 (invalid, naming `statements[i].…`), 409 (id taken by a different statement).
   */
  insert(statements: unknown[], authority: Actor): string[] {
    const valid = validateStatements(statements);
    try {
      return this.insertBatch.immediate(valid, authority);
    } catch (e) {
      this.keyIds.clear(); // key ids cached inside a rolled-back transaction are gone
      this.activities.reset();
      throw e;
    }
  }

  /** The statement with this id, unless it is voided. */
  get(id: string, format: StatementFormat = 'exact', acceptLanguage?: string): StoredStatement | undefined {
    const row = this.selectById.get(id.toLowerCase());
    if (!row || (row.voided && !row.voiding)) return undefined;
    return formatStatement(JSON.parse(row.statement), format, acceptLanguage);
  }

  /** The statement with this id if it is voided (GET statements?voidedStatementId=). */
  getVoided(id: string, format: StatementFormat = 'exact', acceptLanguage?: string): StoredStatement | undefined {
    const row = this.selectById.get(id.toLowerCase());
    if (!row || !row.voided || row.voiding) return undefined;
    return formatStatement(JSON.parse(row.statement), format, acceptLanguage);
  }

  /** Statements matching the filters, newest first unless `ascending`, one page at a time. */
  query(filter: StatementQuery, options: QueryOptions = {}): StatementResult {
    return this.run(this.plan(filter), options);
  }

  /** The next page of a query, from the token of a previous result's `more`. */
  more(token: string, options: QueryOptions = {}): StatementResult {
    return this.run(decodeCursor(token, this.cursorKey, this.maxPageSize), options);
  }

  /**
   * X-Experience-API-Consistent-Through: every statement stored up to this time is visible
   * (writes are synchronous, so that is now — or the latest `stored`, if the clock is behind it).
   */
  consistentThrough(): string {
    const last = this.selectLastStored.get()?.stored ?? 0;
    return new Date(Math.max(this.clock.now().getTime(), last)).toISOString();
  }

  /** How many statements are stored, voided ones included. */
  count(): number {
    return this.countStatements.get()?.n ?? 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // --- insert -------------------------------------------------------------------------------

  private insertValidated(statements: Statement[], authority: Actor): string[] {
    // One `stored` per batch, never earlier than the last one: seq order is stored order.
    const last = this.selectLastStored.get()?.stored ?? 0;
    const storedMs = Math.max(this.clock.now().getTime(), last);
    const stored = new Date(storedMs).toISOString();
    return statements.map((statement, index) => this.insertOne(statement, index, storedMs, stored, authority));
  }

  private insertOne(statement: Statement, index: number, storedMs: number, stored: string, authority: Actor): string {
    const field = `statements[${index}]`;
    const id = statement.id ?? this.ids.uuid();
    const idKey = id.toLowerCase();

    const full: StoredStatement = {
      ...statement,
      id,
      timestamp: statement.timestamp ?? stored,
      stored,
      authority,
      version: statement.version ?? '1.0.0',
    };
    if (statement.context) full.context = normalizeContext(statement.context);
    if (isSubStatement(statement.object) && statement.object.context) {
      full.object = { ...statement.object, context: normalizeContext(statement.object.context) };
    }

    const refId = isStatementRef(statement.object) ? statement.object.id.toLowerCase() : null;
    const voiding = isVoiding(statement);

    const inserted = this.insertStatement.run(
      idKey,
      storedMs,
      statement.verb.id,
      statement.context?.registration?.toLowerCase() ?? null,
      refId,
      voiding ? 1 : 0,
      JSON.stringify(full),
    );
    if (inserted.changes === 0) {
      // The id is taken: the same statement again is a no-op, a different one a conflict.
      const existing = this.selectById.get(idKey);
      if (existing && statementsMatch(statement, JSON.parse(existing.statement))) return id;
      throw new AcademyError(409, `${field}.id ${id} is already stored with different content`, `${field}.id`);
    }
    const seq = Number(inserted.lastInsertRowid);
    if (voiding && refId !== null) {
      this.checkVoidTarget(refId, seq, field);
      this.recordVoid(refId, seq);
    }

    const keyIds = this.chainKeys(full).map((key) => this.keyId(key));
    this.index(keyIds, seq);
    this.propagateToReferrers(idKey, seq, keyIds);
    return id;
  }

  private checkVoidTarget(targetId: string, voidingSeq: number, field: string): void {
    const target = this.selectById.get(targetId);
    if (!target || target.seq === voidingSeq) {
      if (!this.requireVoidTarget) return;
      throw new AcademyError(
        400,
        `${field}.object.id ${targetId} is not a stored statement, so it cannot be voided`,
        `${field}.object.id`,
      );
    }
    if (target.voiding) {
      throw new AcademyError(
        400,
        `${field}.object.id ${targetId} is a voiding statement, which cannot be voided`,
        `${field}.object.id`,
      );
    }
  }

  private recordVoid(targetId: string, voidingSeq: number): void {
    const target = this.selectById.get(targetId);
    // A voiding statement is never voided (Data §2.3.2.s2.b3): ignore a ref to one.
    if (target?.voiding) return;
    this.insertVoided.run(targetId, voidingSeq);
  }

  /**
   * The index keys of a statement: its own, and — the StatementRef filter rule (Communication
   * §2.1.3.s3) — those of the statement its StatementRef targets, and so on down the chain.
   */
  private chainKeys(statement: StoredStatement): string[] {
    const keys = new Set(statementIndexKeys(statement));
    const seen = new Set([statement.id.toLowerCase()]);
    let current: Statement = statement;
    while (isStatementRef(current.object)) {
      const targetId = current.object.id.toLowerCase();
      if (seen.has(targetId)) break; // a reference cycle (ids are client-chosen)
      seen.add(targetId);
      const target = this.selectById.get(targetId);
      if (!target) break;
      current = JSON.parse(target.statement);
      for (const key of statementIndexKeys(current)) keys.add(key);
    }
    return [...keys];
  }

  /**
   * Statements stored before this one that reference it (a StatementRef may precede its target)
   * gain its keys, and so do the statements referencing those, transitively.
   */
  private propagateToReferrers(id: string, seq: number, keyIds: number[]): void {
    const visited = new Set<number>([seq]);
    const queue = [id];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const referrer of this.selectReferrers.all(next)) {
        if (visited.has(referrer.seq)) continue;
        visited.add(referrer.seq);
        this.index(keyIds, referrer.seq);
        queue.push(referrer.id);
      }
    }
  }

  /** Indexes statement `seq` under the keys, up to INDEX_ROWS_PER_CALL rows per SQLite call. */
  private index(keyIds: readonly number[], seq: number): void {
    for (let start = 0; start < keyIds.length; start += INDEX_ROWS_PER_CALL) {
      const chunk = keyIds.slice(start, start + INDEX_ROWS_PER_CALL);
      let insert = this.insertIndexRows.get(chunk.length);
      if (insert === undefined) {
        const rows = Array.from({ length: chunk.length }, () => '(?, ?)').join(', ');
        insert = this.db.prepare<number[]>(`INSERT OR IGNORE INTO lrs_statement_index (key_id, seq) VALUES ${rows}`);
        this.insertIndexRows.set(chunk.length, insert);
      }
      insert.run(...chunk.flatMap((keyId) => [keyId, seq]));
    }
  }

  private keyId(key: string): number {
    const cached = this.keyIds.get(key);
    if (cached !== undefined) return cached;
    const row = this.selectKeyId.get(key);
    const id = row ? row.key_id : Number(this.insertKey.run(key).lastInsertRowid);
    if (this.keyIds.size >= KEY_CACHE_LIMIT) this.keyIds.clear();
    this.keyIds.set(key, id);
    return id;
  }

  // --- query (the plan and the SQL are in query.ts) -----------------------------------------

  /** Sequence number of the last statement stored at or before `ms` (0 if none). */
  private seqStoredUpTo(ms: number): number {
    return this.selectSeqStoredUpTo.get(ms)?.seq ?? 0;
  }

  private plan(filter: StatementQuery): QueryPlan {
    return planQuery(filter, {
      seqStoredUpTo: (ms) => this.seqStoredUpTo(ms),
      maxSeq: () => this.selectMaxSeq.get()?.seq ?? 0,
      maxPageSize: this.maxPageSize,
    });
  }

  private run(plan: QueryPlan, options: QueryOptions): StatementResult {
    if (plan.after >= plan.upTo) return { statements: [], more: '' };
    // Each filter key → the ids of the index keys it matches (a related key: its own and the direct one's).
    const groups: number[][] = [];
    for (const key of plan.keys) {
      const ids = matchingKeys(key).flatMap((k) => {
        const row = this.selectKeyId.get(k);
        return row ? [row.key_id] : [];
      });
      if (ids.length === 0) return { statements: [], more: '' }; // nothing was ever indexed under it
      groups.push(ids);
    }
    if (groups.length > 1) this.orderBySelectivity(groups, plan);
    const rows = groups.every((ids) => ids.length === 1)
      ? this.pageQuery(groups.length, plan.ascending).all(
          ...groups.slice(0, 1).flat(),
          plan.after,
          plan.upTo,
          ...groups.slice(1).flat(),
          plan.limit + 1,
        )
      : this.unionPage(groups, plan);
    const page = rows.slice(0, plan.limit);
    const statements = page.map((row) =>
      formatStatement(JSON.parse(row.statement), plan.format, options.acceptLanguage),
    );
    let more = '';
    if (rows.length > plan.limit) {
      const lastSeq = page[page.length - 1].seq;
      const next: QueryPlan = plan.ascending ? { ...plan, after: lastSeq } : { ...plan, upTo: lastSeq - 1 };
      more = `${options.morePath ?? '/xapi/statements'}?more=${encodeCursor(next, this.cursorKey)}`;
    }
    return { statements, more };
  }

  /**
   * Puts the key with the fewest rows in range first: it drives the scan, the others are probed.
   * Counting stops at a cap, so this costs a few index pages per key whatever the store's size.
   */
  private orderBySelectivity(groups: number[][], plan: QueryPlan): void {
    const cap = Math.max(1000, plan.limit * 20);
    const count = (ids: number[]) =>
      ids.reduce((n, id) => n + (this.countKeyRange.get(id, plan.after, plan.upTo, cap)?.n ?? 0), 0);
    const sizes = new Map(groups.map((ids) => [ids, count(ids)] as const));
    groups.sort((a, b) => (sizes.get(a) ?? 0) - (sizes.get(b) ?? 0));
  }

  /**
   * A page when a filter key matches several index keys (a related filter: agent*: and agent:):
   * one range scan per index key of the driving filter, merged in sequence order by SQLite — UNION
   * drops a statement indexed under both, as in stores written before index-keys.ts skipped the
   * duplicate — with the other filters probed; then the page's statement rows by seq.
   */
  private unionPage(groups: number[][], plan: QueryPlan): StatementRow[] {
    const [driving, ...probed] = groups;
    const probeIds = probed.flat();
    const params: number[] = [];
    for (const id of driving) params.push(id, plan.after, plan.upTo, ...probeIds);
    params.push(plan.limit + 1);
    const seqs = this.unionQuery(driving.length, probed.map((ids) => ids.length), plan.ascending).all(...params);
    return seqs.flatMap((seq) => this.selectBySeq.get(seq) ?? []);
  }

  /** The seqs of a union page, one prepared query per shape. */
  private unionQuery(arms: number, probeSizes: number[], ascending: boolean): Database.Statement<number[], number> {
    const cacheKey = `${arms}:${probeSizes.join(',')}:${ascending ? 'a' : 'd'}`;
    const cached = this.unionCache.get(cacheKey);
    if (cached) return cached;
    const sql = unionSql(arms, probeSizes, ascending);
    const prepared = this.db.prepare<number[], number>(sql).pluck();
    this.unionCache.set(cacheKey, prepared);
    return prepared;
  }

  /** One prepared query per shape: number of keys × direction. */
  private pageQuery(keyCount: number, ascending: boolean): Database.Statement<(string | number)[], StatementRow> {
    const cacheKey = `${keyCount}:${ascending ? 'a' : 'd'}`;
    const cached = this.queryCache.get(cacheKey);
    if (cached) return cached;
    const sql = pageSql(keyCount, ascending);
    const prepared = this.db.prepare<(string | number)[], StatementRow>(sql);
    this.queryCache.set(cacheKey, prepared);
    return prepared;
  }
}
