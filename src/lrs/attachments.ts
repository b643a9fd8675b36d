/**
 * Attachment data of the embedded LRS (xAPI-Data.md §2.4.11, Communication §1.5).
 *
 *  - `AttachmentStore`: raw attachment data in the LRS's SQLite file, keyed by SHA-2 hash and
 *    never rewritten (the same data sent twice is stored once).
 *  - `matchAttachments`: the rules between a request's statements and its multipart parts —
 *    every attachment without a fileUrl has a part with its hash, every part belongs to an
 *    attachment, and every signature attachment is a valid JWS of its statement (§2.6).
 *  - `attachmentHashes`: the hashes a GET answer with `attachments=true` sends data for.
 */
import type Database from 'better-sqlite3';
import { AcademyError } from '../errors.js';
import { normalizeSha2, type AttachmentPart } from './multipart.js';
import { checkSignature, isSignatureAttachment } from './signature.js';
import { isRecord } from '../http/guards.js';

const DDL = `
CREATE TABLE IF NOT EXISTS lrs_attachments (
  sha2         TEXT PRIMARY KEY,                 -- lowercase hex SHA-2 of data
  content_type TEXT NOT NULL,
  data         BLOB NOT NULL
) WITHOUT ROWID;
`;

export class AttachmentStore {
  private readonly insert;
  private readonly select;

  constructor(db: Database.Database) {
    db.exec(DDL);
    this.insert = db.prepare<[string, string, Buffer]>(
      'INSERT OR IGNORE INTO lrs_attachments (sha2, content_type, data) VALUES (?, ?, ?)',
    );
    this.select = db.prepare<[string], { content_type: string; data: Buffer }>(
      'SELECT content_type, data FROM lrs_attachments WHERE sha2 = ?',
    );
  }

  /** Stores each part's data once per hash (call inside the statements' transaction). */
  put(parts: readonly AttachmentPart[]): void {
    for (const part of parts) this.insert.run(part.sha2, part.contentType, part.data);
  }

  /** The stored data for these hashes, in the order given; hashes without data are skipped. */
  get(hashes: Iterable<string>): AttachmentPart[] {
    const out: AttachmentPart[] = [];
    for (const sha2 of hashes) {
      const row = this.select.get(sha2);
      if (row !== undefined) out.push({ sha2, contentType: row.content_type, data: row.data });
    }
    return out;
  }
}

type JsonObject = Record<string, unknown>;

interface Declared {
  statement: JsonObject;
  attachment: JsonObject;
  field: string;
}

/** Every attachment object of the statements (and of SubStatements), with its property path. */
function declaredAttachments(statements: readonly unknown[]): Declared[] {
  const out: Declared[] = [];
  statements.forEach((statement, i) => {
    if (!isRecord(statement)) return;
    const lists: [JsonObject, string][] = [[statement, `statements[${i}]`]];
    if (isRecord(statement.object) && statement.object.objectType === 'SubStatement') {
      lists.push([statement.object, `statements[${i}].object`]);
    }
    for (const [owner, path] of lists) {
      if (!Array.isArray(owner.attachments)) continue;
      owner.attachments.forEach((attachment: unknown, j) => {
        if (isRecord(attachment)) out.push({ statement: owner, attachment, field: `${path}.attachments[${j}]` });
      });
    }
  });
  return out;
}

/** True when any statement (or its SubStatement) has an attachment. */
export function declaresAttachments(statements: readonly unknown[]): boolean {
  return declaredAttachments(statements).length > 0;
}

function hashOf(attachment: JsonObject): string | undefined {
  return typeof attachment.sha2 === 'string' ? normalizeSha2(attachment.sha2) : undefined;
}

/**
 * Checks the (already validated) statements of a request against its attachment parts: `parts` is
 * empty for an application/json request, where every attachment then needs a fileUrl.
 */
export function matchAttachments(statements: readonly unknown[], parts: readonly AttachmentPart[], multipart: boolean): void {
  const data = new Map(parts.map((p) => [p.sha2, p.data]));
  const declared = declaredAttachments(statements);
  const referenced = new Set<string>();
  for (const { statement, attachment, field } of declared) {
    const sha2 = hashOf(attachment);
    if (sha2 !== undefined) referenced.add(sha2);
    const part = sha2 === undefined ? undefined : data.get(sha2);
    if (part === undefined && attachment.fileUrl === undefined) {
      throw new AcademyError(
        400,
        multipart
          ? `${field} has no fileUrl and no multipart part with its sha2`
          : `${field} has no fileUrl: send its data as multipart/mixed`,
        field,
      );
    }
    if (isSignatureAttachment(attachment)) checkSignature(statement, attachment, part, field);
  }
  for (const part of parts) {
    if (!referenced.has(part.sha2)) {
      throw new AcademyError(400, `multipart part ${part.sha2} is not the data of any attachment`, 'X-Experience-API-Hash');
    }
  }
}

/** The distinct attachment hashes of stored statements, in order of first appearance. */
export function attachmentHashes(statements: readonly unknown[]): string[] {
  const hashes = new Set<string>();
  for (const { attachment } of declaredAttachments(statements)) {
    const sha2 = hashOf(attachment);
    if (sha2 !== undefined) hashes.add(sha2);
  }
  return [...hashes];
}
