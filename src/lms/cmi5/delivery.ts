/**
 * cmi5 statements to the LMS's LRS go through the statement pipeline like the academy's own
 * learning records (stamped by the one stamper, then a durable outbox — src/outbox's, in its
 * own file DATA_DIR/lms-outbox.sqlite): the learner's turn
 * only queues them (validated, on disk), and a background sender delivers them, retrying with
 * backoff when the LMS is down. Each statement has a route (the LMS's endpoint and the session's
 * auth token) in `lms_routes`, beside the queue, until it has been delivered or refused.
 *
 * One statement per request, in timestamp order, so `terminated` never overtakes `completed`.
 */
import type Database from 'better-sqlite3';
import type { Statement } from '@xapi/xapi';
import { startOutbox, type RunningOutbox } from '../../outbox/index.js';
import { classifyResponse } from '../../outbox/targets.js';
import type { DeliveryOutcome, OutboxTarget, RetryPolicy } from '../../outbox/types.js';
import type { Clock } from '../../ports.js';
import { openSqlite } from '../../storage/sqlite.js';
import { LaunchFailure, lmsXapiClient, type LmsCaller } from './client.js';

/** Where a cmi5 session's statements go. */
export interface LmsRoute {
  /** The LMS's xAPI endpoint, ending with '/'. */
  readonly endpoint: string;
  /** The auth-token the fetch URL gave (Basic credentials). */
  readonly token: string;
}

export interface Cmi5DeliveryOptions {
  /** The outbox file, or ':memory:'. */
  readonly file: string;
  readonly caller: LmsCaller;
  readonly clock: Clock;
  readonly retry: RetryPolicy;
  readonly log: (line: string) => void;
}

interface RouteRow {
  endpoint: string;
  token: string;
}

class Routes {
  private readonly db: Database.Database;
  private readonly insert;
  private readonly select;
  private readonly remove;
  private readonly count;

  constructor(file: string) {
    this.db = openSqlite(file, { synchronous: 'NORMAL' });
    this.db.exec(`CREATE TABLE IF NOT EXISTS lms_routes (id TEXT PRIMARY KEY, endpoint TEXT NOT NULL, token TEXT NOT NULL) WITHOUT ROWID`);
    this.insert = this.db.prepare<[string, string, string]>('INSERT OR REPLACE INTO lms_routes (id, endpoint, token) VALUES (?, ?, ?)');
    this.select = this.db.prepare<[string], RouteRow>('SELECT endpoint, token FROM lms_routes WHERE id = ?');
    this.remove = this.db.prepare<[string]>('DELETE FROM lms_routes WHERE id = ?');
    this.count = this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM lms_routes WHERE id = ?');
  }

  add(ids: readonly string[], route: LmsRoute): void {
    this.db.transaction(() => {
      for (const id of ids) this.insert.run(id.toLowerCase(), route.endpoint, route.token);
    })();
  }

  get(id: string): RouteRow | undefined {
    return this.select.get(id.toLowerCase());
  }

  done(id: string): void {
    this.remove.run(id.toLowerCase());
  }

  pending(ids: readonly string[]): boolean {
    return ids.some((id) => (this.count.get(id.toLowerCase())?.n ?? 0) > 0);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The statements' route, then one POST to the LMS's LRS; every failure is an outcome. */
function routedTarget(routes: Routes, caller: LmsCaller, clock: Clock, log: (line: string) => void): OutboxTarget {
  const deliverOne = async (statement: Statement): Promise<DeliveryOutcome> => {
    const id = statement.id ?? '';
    const route = routes.get(id);
    if (!route) return { kind: 'rejected', status: 400, reason: 'no LMS route for this statement' };
    try {
      const res = await lmsXapiClient(caller, route.endpoint, route.token, 'statements').postStatements([statement]);
      const outcome = classifyResponse(res.status, res.text.slice(0, 500), null, clock.now());
      if (outcome.kind !== 'retry') routes.done(id);
      return outcome;
    } catch (e) {
      return { kind: 'retry', reason: e instanceof LaunchFailure ? e.detail : String(e) };
    }
  };
  return {
    name: 'the LMSs\' LRSs (cmi5)',
    deliver: async (statements) => {
      if (statements.length !== 1) log(`LMS outbox: a batch of ${statements.length}; sending the first only`);
      return deliverOne(statements[0]);
    },
  };
}

/** The cmi5 outbox: `send` queues (synchronous, durable); `flush` waits for a session's statements. */
export class Cmi5Delivery {
  private readonly routes: Routes;
  private readonly outbox: RunningOutbox;

  constructor(options: Cmi5DeliveryOptions) {
    this.routes = new Routes(options.file);
    // The same outbox and sender as the academy's own records, one statement per request.
    this.outbox = startOutbox({
      file: options.file,
      target: routedTarget(this.routes, options.caller, options.clock, options.log),
      clock: options.clock,
      batchSize: 1,
      retry: options.retry,
      log: (line) => options.log(`LMS outbox: ${line}`),
    });
  }

  /** Queues statements (stamped) for the LMS's LRS; returns their ids. Throws (400) on an invalid statement. */
  send(route: LmsRoute, statements: readonly Statement[]): string[] {
    const ids = statements.map((s) => s.id ?? '');
    this.routes.add(ids, route);
    return this.outbox.port.enqueue(statements);
  }

  /** Waits until these statements have left the queue (delivered or refused), up to `timeoutMs`; whether they did. */
  async flush(ids: readonly string[], timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    this.outbox.sender.wake();
    while (this.routes.pending(ids)) {
      if (Date.now() > until) return false;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return true;
  }

  queued(): number {
    return this.outbox.port.queued();
  }

  async close(): Promise<void> {
    await this.outbox.close();
    this.routes.close();
  }
}
