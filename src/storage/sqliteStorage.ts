import { existsSync, readFileSync, renameSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Storage, StoreItems } from 'botbuilder';
import { AcademyError } from '../errors.js';
import { openSqlite } from './sqlite.js';

interface Row {
  key: string;
  etag: string;
  value: string;
}

/**
 * Bot state (UserState, ConversationState) in SQLite, one row per key: a turn reads and writes
 * only its own learner's and conversation's rows, so its cost does not grow with the number of
 * learners (the lowdb file it replaces rewrote every learner's state on every write).
 * Optimistic concurrency as the Bot Framework storages do it: a write whose eTag is not '*' and
 * does not match the stored one fails with 412, and a change set is written all or nothing.
 * A write is committed (WAL) before the turn's reply is sent, so a crash loses no answered turn.
 */
export class SqliteStorage implements Storage {
  private readonly db: Database.Database;
  private readonly selectOne: Database.Statement<[string], Row>;
  private readonly upsert: Database.Statement<[string, string, string]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly writeAll: (changes: StoreItems) => void;

  constructor(file: string) {
    this.db = openSqlite(file, { synchronous: 'NORMAL' });
    this.db.exec('CREATE TABLE IF NOT EXISTS bot_state (key TEXT PRIMARY KEY, etag TEXT NOT NULL, value TEXT NOT NULL) WITHOUT ROWID');
    this.selectOne = this.db.prepare('SELECT key, etag, value FROM bot_state WHERE key = ?');
    this.upsert = this.db.prepare('INSERT INTO bot_state (key, etag, value) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, value = excluded.value');
    this.remove = this.db.prepare('DELETE FROM bot_state WHERE key = ?');
    this.writeAll = this.db.transaction((changes: StoreItems) => {
      for (const [key, change] of Object.entries(changes)) {
        const given: unknown = change?.eTag;
        if (given === undefined || given === '*') continue;
        const current = this.selectOne.get(key);
        if (current && current.etag !== given) throw new AcademyError(412, `Storage: eTag conflict writing "${key}"`, key);
      }
      for (const [key, change] of Object.entries(changes)) {
        const { eTag: _ignored, ...value } = (change ?? {}) as Record<string, unknown>;
        this.upsert.run(key, newETag(), JSON.stringify(value));
      }
    });
  }

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    for (const key of keys) {
      const row = this.selectOne.get(key);
      if (row) out[key] = { ...(JSON.parse(row.value) as Record<string, unknown>), eTag: row.etag };
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    this.writeAll(changes);
  }

  async delete(keys: string[]): Promise<void> {
    this.db.transaction(() => {
      for (const key of keys) this.remove.run(key);
    })();
  }

  /** Rows kept (for the health check and tests). */
  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM bot_state').get() as { n: number }).n;
  }

  /**
   * Moves the state of an earlier version's lowdb file (`bot-state.json`) in, once: its items are
   * copied in one transaction (keys already here win), then the file is renamed `.migrated`.
   */
  migrateFromLowdb(file: string): number {
    if (!existsSync(file)) return 0;
    const data = JSON.parse(readFileSync(file, 'utf8')) as { items?: Record<string, { eTag?: string; value?: unknown }> };
    const items = Object.entries(data.items ?? {});
    const insert = this.db.prepare('INSERT OR IGNORE INTO bot_state (key, etag, value) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const [key, item] of items) insert.run(key, newETag(), JSON.stringify(item.value ?? {}));
    })();
    renameSync(file, `${file}.migrated`);
    return items.length;
  }

  close(): void {
    this.db.close();
  }
}

function newETag(): string {
  return randomBytes(8).toString('hex');
}
