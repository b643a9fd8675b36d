import Database from 'better-sqlite3';
import { chmodSync, closeSync, openSync } from 'node:fs';

export interface SqliteOptions {
  /** `synchronous` pragma; SQLite's default (FULL) when not given. */
  readonly synchronous?: 'NORMAL' | 'FULL';
  /** Page cache in KiB (SQLite's default is about 2 MB). */
  readonly cacheKb?: number;
  /** WAL pages before an automatic checkpoint (0 = none). */
  readonly walAutocheckpoint?: number;
  /** Largest WAL file kept after a checkpoint, in bytes. */
  readonly journalSizeLimit?: number;
  /** `temp_store` pragma: MEMORY keeps statement journals and temp tables off disk. */
  readonly tempStore?: 'MEMORY';
}

/**
 * Opens (or creates) one of the academy's SQLite files: readable by its owner only (0600, as
 * the WAL and shared-memory files that SQLite makes beside it), WAL journal, a 5 s busy
 * timeout, and the given tuning. `:memory:` is for tests.
 */
export function openSqlite(file: string, options: SqliteOptions = {}): Database.Database {
  if (file !== ':memory:') {
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const db = new Database(file);
  if (!db.memory) {
    db.pragma('journal_mode = WAL');
    if (options.walAutocheckpoint !== undefined) db.pragma(`wal_autocheckpoint = ${options.walAutocheckpoint}`);
    if (options.journalSizeLimit !== undefined) db.pragma(`journal_size_limit = ${options.journalSizeLimit}`);
  }
  if (options.synchronous) db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma('busy_timeout = 5000');
  if (options.cacheKb !== undefined) db.pragma(`cache_size = -${Math.round(options.cacheKb)}`);
  if (options.tempStore) db.pragma(`temp_store = ${options.tempStore}`);
  return db;
}
