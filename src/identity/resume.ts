import { createHmac, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/sqlite.js';
import type { Clock } from '../ports.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** 28 base32 characters: 140 random bits. */
const CODE_CHARS = 28;

/** A fresh resume code, in groups of four: ABCD-EFGH-…, 140 bits from the system's CSPRNG. */
export function newResumeCode(): string {
  const bytes = randomBytes(CODE_CHARS);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** What a person typed, as a code: upper case, separators and spaces dropped; undefined if it cannot be one. */
export function normaliseResumeCode(typed: unknown): string | undefined {
  if (typeof typed !== 'string' || typed.length > 100) return undefined;
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_CHARS && /^[A-Z2-7]+$/.test(code) ? code : undefined;
}

/**
 * Resume codes: one per learner, kept only as an HMAC (DATA_DIR/identity.sqlite, mode 0600), so
 * the file does not give the codes away. A code works until its learner revokes or replaces it.
 */
export class ResumeCodes {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly key: Buffer,
    private readonly clock: Clock,
  ) {
    this.db = openSqlite(file);
    this.db.exec('CREATE TABLE IF NOT EXISTS resume_codes (learner_id TEXT PRIMARY KEY, code_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)');
  }

  /** A new code for the learner; any earlier one stops working. */
  create(learnerId: string): string {
    const code = newResumeCode();
    this.db
      .prepare('INSERT INTO resume_codes (learner_id, code_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (learner_id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at')
      .run(learnerId, this.hash(normaliseResumeCode(code)!), this.clock.now().toISOString());
    return code;
  }

  /** True if the learner had a code (it no longer works). */
  revoke(learnerId: string): boolean {
    return this.db.prepare('DELETE FROM resume_codes WHERE learner_id = ?').run(learnerId).changes > 0;
  }

  /** The learner a typed code belongs to, if it is a current code. */
  redeem(typed: unknown): string | undefined {
    const code = normaliseResumeCode(typed);
    if (!code) return undefined;
    const row = this.db.prepare('SELECT learner_id FROM resume_codes WHERE code_hash = ?').get(this.hash(code)) as { learner_id: string } | undefined;
    return row?.learner_id;
  }

  close(): void {
    this.db.close();
  }

  private hash(code: string): string {
    return createHmac('sha256', this.key).update(`resume-code:${code}`).digest('base64url');
  }
}
