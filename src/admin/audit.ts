/**
 * The admin audit log: who looked at or exported what, and when. Append-only: the class has no
 * update or delete path, and SQLite triggers refuse UPDATE and DELETE on the table.
 */
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/sqlite.js';
import type { Clock } from '../ports.js';

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  /** The admin's sign-in name. */
  readonly who: string;
  /** view, export, sign-in, sign-out, sign-in-refused, curate, erase */
  readonly action: string;
  /** The page or export and its filters, e.g. "GET /admin/statements?verb=…". */
  readonly what: string;
}

const DDL = `
CREATE TABLE IF NOT EXISTS admin_audit (
  seq    INTEGER PRIMARY KEY AUTOINCREMENT,
  at     TEXT NOT NULL,
  who    TEXT NOT NULL,
  action TEXT NOT NULL,
  what   TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS admin_audit_no_update BEFORE UPDATE ON admin_audit
BEGIN SELECT RAISE(ABORT, 'the admin audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS admin_audit_no_delete BEFORE DELETE ON admin_audit
BEGIN SELECT RAISE(ABORT, 'the admin audit log is append-only'); END;
`;

export class AuditLog {
  readonly db: Database.Database;
  private readonly insert;
  private readonly page;

  constructor(
    file: string,
    private readonly clock: Clock,
  ) {
    this.db = openSqlite(file);
    this.db.exec(DDL);
    this.insert = this.db.prepare<[string, string, string, string]>(`INSERT INTO admin_audit (at, who, action, what) VALUES (?, ?, ?, ?)`);
    this.page = this.db.prepare<[number, number], AuditEntry>(`SELECT seq, at, who, action, what FROM admin_audit WHERE seq < ? ORDER BY seq DESC LIMIT ?`);
  }

  record(who: string, action: string, what: string): void {
    this.insert.run(this.clock.now().toISOString(), who, action, what.slice(0, 2000));
  }

  /** Newest first, entries before `beforeSeq`. */
  list(limit = 100, beforeSeq = Number.MAX_SAFE_INTEGER): AuditEntry[] {
    return this.page.all(beforeSeq, limit);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
