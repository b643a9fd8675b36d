/**
 * SQLite schema of the embedded LRS. Statements are append-only: a row is never updated or
 * deleted; voiding and the StatementRef filter rule live in side tables.
 *
 *  lrs_statements       one row per statement; `seq` gives a stable total order and `stored` never
 *                       decreases with `seq`, so since/until resolve to sequence bounds.
 *  lrs_index_keys       interned filter keys (verb:…, agent:…, activity*:…, registration:…).
 *  lrs_statement_index  (key, seq) for every filter key a statement matches, including keys
 *                       inherited from the statement its StatementRef targets. WITHOUT ROWID, so
 *                       each filter is one ordered range scan of the primary key, and a second
 *                       filter one primary-key probe per candidate.
 *  lrs_voided           voided statement id → the voiding statement (keyed by id so a voiding
 *                       statement may precede its target).
 */
import type Database from 'better-sqlite3';
import { AcademyError } from '../errors.js';

export const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS lrs_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS lrs_statements (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  id           TEXT    NOT NULL UNIQUE,          -- statement id, lowercase
  stored       INTEGER NOT NULL,                 -- epoch ms; non-decreasing with seq
  verb_id      TEXT    NOT NULL,
  registration TEXT,                             -- context.registration, lowercase
  ref_id       TEXT,                             -- object.id (lowercase) when the object is a StatementRef
  voiding      INTEGER NOT NULL DEFAULT 0,       -- 1 when this statement voids ref_id
  statement    TEXT    NOT NULL                  -- the full statement JSON as stored (format=exact)
);
CREATE INDEX IF NOT EXISTS lrs_statements_stored ON lrs_statements (stored);
CREATE INDEX IF NOT EXISTS lrs_statements_ref ON lrs_statements (ref_id) WHERE ref_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS lrs_index_keys (
  key_id INTEGER PRIMARY KEY,
  key    TEXT NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS lrs_statement_index (
  key_id INTEGER NOT NULL,
  seq    INTEGER NOT NULL,
  PRIMARY KEY (key_id, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS lrs_voided (
  target_id   TEXT PRIMARY KEY,                  -- id (lowercase) of the voided statement
  voiding_seq INTEGER NOT NULL                   -- seq of the first statement that voided it
) WITHOUT ROWID;
`;

export function migrate(db: Database.Database): void {
  db.exec(DDL);
  const row = db.prepare<[], { value: string }>(`SELECT value FROM lrs_meta WHERE key = 'schema_version'`).get();
  if (row === undefined) {
    db.prepare(`INSERT INTO lrs_meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
  } else if (Number(row.value) > SCHEMA_VERSION) {
    throw new AcademyError(
      500,
      `LRS database schema version ${row.value} is newer than this build supports (${SCHEMA_VERSION})`,
      'lrs.file',
    );
  }
}
