/**
 * The `more` continuation of a StatementResult (xAPI-Data.md §2.5): an opaque token carrying the
 * resolved query and the sequence bounds of the next page, so any page can be fetched at any later
 * time without server-side state (§2.5.s3.b2). Statements voided since are left out (§2.5.s3.b4).
 *
 * The token is signed (HMAC-SHA-256, `<payload>.<mac>`, key in DATA_DIR/lrs-cursor-key): a
 * client cannot raise its page size past the server's cap (`l=1e9`) or widen its query by editing
 * it. A tampered, unsigned or oversized token is a 400.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AcademyError } from '../errors.js';
import { isStatementFormat, type StatementFormat } from './format.js';

/** A query resolved to index keys and sequence bounds. */
export interface QueryPlan {
  /** Index keys (see index-keys.ts) a statement must all have. */
  keys: string[];
  /** Exclusive lower sequence bound. */
  after: number;
  /** Inclusive upper sequence bound. */
  upTo: number;
  ascending: boolean;
  /** Page size, already capped at the server's maximum. */
  limit: number;
  format: StatementFormat;
}

interface TokenBody {
  v: 1;
  k: string[];
  a: number;
  u: number;
  o: 'a' | 'd';
  l: number;
  f: StatementFormat;
}

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

export function encodeCursor(plan: QueryPlan, key: Buffer): string {
  const body: TokenBody = {
    v: 1,
    k: plan.keys,
    a: plan.after,
    u: plan.upTo,
    o: plan.ascending ? 'a' : 'd',
    l: plan.limit,
    f: plan.format,
  };
  const payload = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function invalid(): AcademyError {
  return new AcademyError(400, 'more is not a valid continuation token', 'more');
}

/** The signature of `token` checked against `key`; its payload, or a 400. */
function verified(token: string, key: Buffer): string {
  if (token.length > MAX_TOKEN || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/.test(token)) throw invalid();
  const [payload, given] = token.split('.');
  const expected = Buffer.from(mac(key, payload));
  if (!timingSafeEqual(expected, Buffer.from(given))) throw invalid();
  return payload;
}

const MAX_TOKEN = 16 * 1024;

/** The plan a signed token carries; a page size above `maxPageSize` is refused even when signed. */
export function decodeCursor(token: string, key: Buffer, maxPageSize: number): QueryPlan {
  const payload = verified(token, key);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof body !== 'object' || body === null) throw invalid();
  const { v, k, a, u, o, l, f } = body as Record<string, unknown>;
  if (v !== 1 || !Array.isArray(k) || !k.every((key) => typeof key === 'string')) throw invalid();
  if (!isSeq(a) || !isSeq(u) || !isSeq(l) || l === 0 || l > maxPageSize || (o !== 'a' && o !== 'd')) throw invalid();
  if (typeof f !== 'string' || !isStatementFormat(f)) throw invalid();
  return { keys: k, after: a, upTo: u, ascending: o === 'a', limit: l, format: f };
}
