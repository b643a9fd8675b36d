/**
 * The durable outbox (DATA_DIR/outbox.sqlite): the bot's LrsPort. `send()` validates the
 * statements and writes them to SQLite in one synchronous transaction, then returns — the
 * learner's turn never waits for an LRS. The sender (sender.ts) reads batches oldest first
 * (timestamp, then enqueue order) and settles each statement: delivered rows are deleted (and
 * counted), refused ones move to the failed list with the LRS's reason.
 *
 * Statements arrive stamped (id and timestamp, by the recorder: src/xapi/recorder.ts); the
 * outbox validates them once, as they enter, and sends them as they are.
 *
 * Crash safety: a statement stays queued until the transaction that settles it commits, so a
 * process killed at any moment re-sends at most the batch in flight (at-least-once); ids are
 * fixed before enqueue, and an LRS stores an id once, so the LRS ends up with each statement once.
 * WAL with synchronous=NORMAL: a committed enqueue survives the process being killed; a power
 * cut may lose the last few transactions. Commits never fsync; the WAL checkpoint (which does)
 * is run by the sender (checkpoint()), not automatically inside a learner's enqueue.
 */
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/sqlite.js';
import type { Statement as XapiStatement } from '@xapi/xapi';
import { AcademyError } from '../errors.js';
import { validateStatement } from '../lrs/index.js';
import type { Statement } from '../lrs/types.js';
import type { Clock } from '../ports.js';
import type { LrsPort } from '../xapi/recorder.js';
import type { FailedStatement, OutboxStatus, QueuedStatement } from './types.js';

const DDL = `
CREATE TABLE IF NOT EXISTS outbox_statements (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,   -- enqueue order
  id         TEXT    NOT NULL UNIQUE,             -- statement id, fixed at enqueue
  ts         INTEGER NOT NULL,                    -- statement timestamp, epoch ms
  verb       TEXT    NOT NULL,
  statement  TEXT    NOT NULL,                    -- the statement JSON, sent as is
  state      TEXT    NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'failed')),
  attempts   INTEGER NOT NULL DEFAULT 0,
  status     INTEGER,                             -- failed: the LRS's HTTP status
  reason     TEXT,                                -- failed: the LRS's reason
  failed_at  INTEGER                              -- failed: epoch ms
);
CREATE INDEX IF NOT EXISTS outbox_queue ON outbox_statements (state, ts, seq);
CREATE TABLE IF NOT EXISTS outbox_meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO outbox_meta (key, value) VALUES ('delivered', 0);
`;

interface Row {
  seq: number;
  id: string;
  statement: string;
}

interface FailedRow {
  id: string;
  verb: string;
  ts: number;
  status: number;
  reason: string;
  failed_at: number;
}

export interface OutboxOptions {
  /** The SQLite file, or ':memory:'. */
  file: string;
  clock: Clock;
  /** Called after each enqueue (the sender's wake-up). */
  onEnqueue?: () => void;
}

export class Outbox implements LrsPort {
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private onEnqueue: (() => void) | undefined;
  private writesSinceCheckpoint = 0;

  private readonly insertRow;
  private readonly selectBatch;
  private readonly deleteRow;
  private readonly bumpDelivered;
  private readonly failRow;
  private readonly bumpAttempts;
  private readonly countByState;
  private readonly selectDelivered;
  private readonly selectOldest;
  private readonly selectFailed;
  private readonly requeueFailed;
  private readonly enqueueAll;
  private readonly deliverAll;
  private readonly failAll;

  constructor(options: OutboxOptions) {
    this.clock = options.clock;
    this.onEnqueue = options.onEnqueue;
    // A queue touches its newest pages (enqueue) and its oldest (the sender): 4 MB of page cache
    // is plenty, instead of SQLite's 16 MB default, which a backlog would otherwise fill.
    // No automatic checkpoint: its fsync would land in whichever enqueue crosses the threshold.
    this.db = openSqlite(options.file, { synchronous: 'NORMAL', cacheKb: 4096, walAutocheckpoint: 0 });
    this.db.exec(DDL);
    const db = this.db;
    this.insertRow = db.prepare<[string, number, string, string]>(
      `INSERT INTO outbox_statements (id, ts, verb, statement) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    this.selectBatch = db.prepare<[number], Row>(
      `SELECT seq, id, statement FROM outbox_statements WHERE state = 'queued' ORDER BY ts, seq LIMIT ?`,
    );
    this.deleteRow = db.prepare<[number]>(`DELETE FROM outbox_statements WHERE seq = ? AND state = 'queued'`);
    this.bumpDelivered = db.prepare<[number]>(`UPDATE outbox_meta SET value = value + ? WHERE key = 'delivered'`);
    this.failRow = db.prepare<[number, string, number, number]>(
      `UPDATE outbox_statements SET state = 'failed', status = ?, reason = ?, failed_at = ?
        WHERE seq = ? AND state = 'queued'`,
    );
    this.bumpAttempts = db.prepare<[number]>(`UPDATE outbox_statements SET attempts = attempts + 1 WHERE seq = ?`);
    this.countByState = db.prepare<[], { state: string; n: number }>(
      `SELECT state, count(*) AS n FROM outbox_statements GROUP BY state`,
    );
    this.selectDelivered = db.prepare<[], { value: number }>(`SELECT value FROM outbox_meta WHERE key = 'delivered'`);
    this.selectOldest = db.prepare<[], { ts: number }>(
      `SELECT ts FROM outbox_statements WHERE state = 'queued' ORDER BY ts, seq LIMIT 1`,
    );
    this.selectFailed = db.prepare<[], FailedRow>(
      `SELECT id, verb, ts, status, reason, failed_at FROM outbox_statements WHERE state = 'failed' ORDER BY ts, seq`,
    );
    this.requeueFailed = db.prepare(
      `UPDATE outbox_statements SET state = 'queued', status = NULL, reason = NULL, failed_at = NULL, attempts = 0
        WHERE state = 'failed'`,
    );
    this.enqueueAll = db.transaction((rows: [string, number, string, string][]) => {
      for (const row of rows) this.insertRow.run(...row);
    });
    this.deliverAll = db.transaction((seqs: readonly number[]) => {
      let n = 0;
      for (const seq of seqs) n += this.deleteRow.run(seq).changes;
      this.bumpDelivered.run(n);
      return n;
    });
    this.failAll = db.transaction((seqs: readonly number[], status: number, reason: string, at: number) => {
      for (const seq of seqs) this.failRow.run(status, reason, at, seq);
    });
  }

  /**
   * The LrsPort: validates every statement (a bad or unstamped one throws AcademyError 400
   * naming `statements[i].<field>`, and nothing is queued) and queues them all in one
   * transaction. Resolves once they are on disk.
   */
  async send(statements: readonly XapiStatement[]): Promise<void> {
    this.enqueue(statements);
  }

  /** The synchronous enqueue behind send(); returns the statement ids. */
  enqueue(statements: readonly unknown[]): string[] {
    const rows: [string, number, string, string][] = [];
    const seen = new Set<string>();
    statements.forEach((input, i) => {
      const statement = stamped(input, i);
      const id = statement.id.toLowerCase();
      if (seen.has(id)) throw new AcademyError(400, `statements[${i}].id duplicates another statement in the same call`, `statements[${i}].id`);
      seen.add(id);
      const ts = Date.parse(statement.timestamp);
      rows.push([id, Number.isNaN(ts) ? this.clock.now().getTime() : ts, statement.verb.id, JSON.stringify(statement)]);
    });
    this.enqueueAll(rows);
    this.writesSinceCheckpoint += 1;
    this.onEnqueue?.();
    return rows.map((r) => r[0]);
  }

  /** Sets the enqueue listener (the sender, once it exists). */
  listen(onEnqueue: (() => void) | undefined): void {
    this.onEnqueue = onEnqueue;
  }

  /** Up to `limit` queued statements, oldest timestamp first, then enqueue order (validated when queued). */
  nextBatch(limit: number): QueuedStatement[] {
    return this.selectBatch.all(limit).map((row) => ({ seq: row.seq, id: row.id, statement: JSON.parse(row.statement) as XapiStatement }));
  }

  /** The LRS has these: they leave the queue (counted as delivered). Returns how many left. */
  markDelivered(batch: readonly QueuedStatement[]): number {
    this.writesSinceCheckpoint += 1;
    return this.deliverAll(batch.map((q) => q.seq));
  }

  /** The LRS refused these for good: they move to the failed list with its reason. */
  markFailed(batch: readonly QueuedStatement[], status: number, reason: string): void {
    this.writesSinceCheckpoint += 1;
    this.failAll(batch.map((q) => q.seq), status, reason, this.clock.now().getTime());
  }

  /** Counts an unsuccessful attempt (shown nowhere yet; useful when reading the file). */
  markAttempted(batch: readonly QueuedStatement[]): void {
    for (const q of batch) this.bumpAttempts.run(q.seq);
  }

  /** Puts every failed statement back in the queue (after the cause is fixed); returns how many. */
  retryFailed(): number {
    const n = this.requeueFailed.run().changes;
    if (n > 0) this.onEnqueue?.();
    return n;
  }

  status(): OutboxStatus {
    const counts = this.counts();
    const oldest = this.selectOldest.get();
    return {
      queued: counts.get('queued') ?? 0,
      delivered: this.selectDelivered.get()?.value ?? 0,
      failed: counts.get('failed') ?? 0,
      ...(oldest ? { oldestQueued: new Date(oldest.ts).toISOString() } : {}),
      failures: this.selectFailed.all().map(
        (r): FailedStatement => ({
          id: r.id,
          verb: r.verb,
          timestamp: new Date(r.ts).toISOString(),
          status: r.status,
          reason: r.reason,
          failedAt: new Date(r.failed_at).toISOString(),
        }),
      ),
    };
  }

  /** How many statements wait to be sent. */
  queued(): number {
    return this.counts().get('queued') ?? 0;
  }

  /**
   * A learner's right to erasure: drops their statements still queued or failed (actor account
   * `homePage` + `name`), so none is delivered after the erase. A batch already in flight is not
   * in the table's hands any more; returns how many were dropped.
   */
  forgetLearner(homePage: string, name: string): number {
    this.writesSinceCheckpoint += 1;
    return this.db
      .prepare(`DELETE FROM outbox_statements WHERE json_extract(statement, '$.actor.account.name') = ? AND json_extract(statement, '$.actor.account.homePage') = ?`)
      .run(name, homePage).changes;
  }

  private counts(): Map<string, number> {
    return new Map(this.countByState.all().map((r) => [r.state, r.n]));
  }

  /**
   * Copies the WAL into the database file (PASSIVE: never waits for readers) when this
   * connection has written since the last time; returns whether it ran. The sender calls it
   * off the learner's path; closing the last connection checkpoints too.
   */
  checkpoint(): boolean {
    if (this.writesSinceCheckpoint === 0 || this.db.memory) return false;
    this.writesSinceCheckpoint = 0;
    this.db.pragma('wal_checkpoint(PASSIVE)');
    return true;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The statement, validated, with the id and timestamp the recorder gave it (400 without them). */
function stamped(input: unknown, i: number): Statement & { id: string; timestamp: string } {
  let valid: Statement;
  try {
    valid = validateStatement(input);
  } catch (e) {
    throw renamed(e, `statements[${i}]`);
  }
  const { id, timestamp } = valid;
  if (id === undefined) throw new AcademyError(400, `Cannot record: statements[${i}].id is missing (the recorder stamps it)`, `statements[${i}].id`);
  if (timestamp === undefined) throw new AcademyError(400, `Cannot record: statements[${i}].timestamp is missing (the recorder stamps it)`, `statements[${i}].timestamp`);
  return { ...valid, id, timestamp };
}

/** 'statement.verb.id must be an IRI' → 'statements[2].verb.id must be an IRI'. */
function renamed(error: unknown, root: string): unknown {
  if (!(error instanceof AcademyError)) return error;
  const message = error.message.replace(/^statement\b/, root);
  const field = error.field ? `${root}.${error.field}` : root;
  return new AcademyError(error.status, `Cannot record: ${message}`, field);
}
