/**
 * The documents of the LRS (xAPI-Communication.md §2.3–§2.7): State, Activity Profile and Agent
 * Profile, stored in SQLite (`lrs_documents`) with their ETags. The routes are in documents.ts.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/sqlite.js';
import type { Clock } from '../ports.js';
import type { Actor } from './types.js';

export type DocumentKind = 'state' | 'activity-profile' | 'agent-profile';

export interface StoredDocument {
  contentType: string;
  content: Buffer;
  etag: string;
  updated: string;
}

export interface DocumentKey {
  kind: DocumentKind;
  /** activityId (state, activity profile) or agent key (agent profile). */
  scope: string;
  /** agent key (state only), '' otherwise. */
  agent: string;
  /** registration (state only), '' when none. */
  registration: string;
  id: string;
}

/** A stable key for an Agent / Group by its inverse functional identifier. */
export function agentKey(actor: Actor): string {
  if (actor.mbox !== undefined) return `mbox:${actor.mbox}`;
  if (actor.mbox_sha1sum !== undefined) return `sha1:${actor.mbox_sha1sum}`;
  if (actor.openid !== undefined) return `openid:${actor.openid}`;
  if (actor.account !== undefined) return `account:${actor.account.homePage}|${actor.account.name}`;
  return 'anonymous';
}

export class DocumentStore {
  private readonly db: Database.Database;

  constructor(file: string, private readonly clock: Clock) {
    this.db = openSqlite(file);
    this.db.exec(`CREATE TABLE IF NOT EXISTS lrs_documents (
      kind TEXT NOT NULL, scope TEXT NOT NULL, agent TEXT NOT NULL, registration TEXT NOT NULL,
      doc_id TEXT NOT NULL, content_type TEXT NOT NULL, content BLOB NOT NULL, etag TEXT NOT NULL,
      updated INTEGER NOT NULL,
      PRIMARY KEY (kind, scope, agent, registration, doc_id)) WITHOUT ROWID`);
  }

  get(key: DocumentKey): StoredDocument | undefined {
    const row = this.db
      .prepare(
        `SELECT content_type, content, etag, updated FROM lrs_documents
         WHERE kind = ? AND scope = ? AND agent = ? AND registration = ? AND doc_id = ?`,
      )
      .get(key.kind, key.scope, key.agent, key.registration, key.id) as
      | { content_type: string; content: Buffer; etag: string; updated: number }
      | undefined;
    if (!row) return undefined;
    return {
      contentType: row.content_type,
      content: row.content,
      etag: row.etag,
      updated: new Date(row.updated).toISOString(),
    };
  }

  put(key: DocumentKey, contentType: string, content: Buffer): StoredDocument {
    const etag = createHash('sha1').update(content).digest('hex');
    const updated = this.clock.now().getTime();
    this.db
      .prepare(
        `INSERT OR REPLACE INTO lrs_documents (kind, scope, agent, registration, doc_id, content_type, content, etag, updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(key.kind, key.scope, key.agent, key.registration, key.id, contentType, content, etag, updated);
    return { contentType, content, etag, updated: new Date(updated).toISOString() };
  }

  ids(key: Omit<DocumentKey, 'id'>, since?: string): string[] {
    const sinceMs = since === undefined ? -1 : new Date(since).getTime();
    const rows = this.db
      .prepare(
        `SELECT doc_id FROM lrs_documents WHERE kind = ? AND scope = ? AND agent = ? AND registration = ?
         AND updated > ? ORDER BY doc_id`,
      )
      .all(key.kind, key.scope, key.agent, key.registration, sinceMs) as { doc_id: string }[];
    return rows.map((r) => r.doc_id);
  }

  delete(key: DocumentKey): void {
    this.db
      .prepare('DELETE FROM lrs_documents WHERE kind = ? AND scope = ? AND agent = ? AND registration = ? AND doc_id = ?')
      .run(key.kind, key.scope, key.agent, key.registration, key.id);
  }

  deleteAll(key: Omit<DocumentKey, 'id'>): void {
    this.db
      .prepare('DELETE FROM lrs_documents WHERE kind = ? AND scope = ? AND agent = ? AND registration = ?')
      .run(key.kind, key.scope, key.agent, key.registration);
  }

  close(): void {
    this.db.close();
  }
}
