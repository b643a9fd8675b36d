import { createHmac, timingSafeEqual } from 'node:crypto';
import { AcademyError } from '../errors.js';
import type { Clock } from '../ports.js';
import { isRecord } from '../http/guards.js';

/**
 * Short-lived Direct Line tokens for the local Direct Line.
 *
 * A token is a compact JWT (HS256): `base64url(header).base64url(payload).base64url(HMAC-SHA256)`.
 * The payload holds `{ conversationId, userId, exp }` (exp in seconds since the epoch) and, as
 * Azure's Direct Line tokens do, a `user` claim equal to `userId`: Web Chat reads `user` from the
 * token to know who "me" is, so it never has to trust a user id passed in the page.
 */

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 30 * 60;
/** The message of the AcademyError 403 for an expired token (answered with Direct Line's code TokenExpired). */
export const TOKEN_EXPIRED = 'Token expired';
const MIN_SECRET_BYTES = 16;
const MAX_TOKEN_LENGTH = 2048;

export interface TokenClaims {
  readonly conversationId: string;
  readonly userId: string;
  /** Sealed owner of the conversation (learner id, LMS session), opaque to the page; for re-creating it. */
  readonly owner?: string;
  /** Expiry, whole seconds since the epoch. */
  readonly exp: number;
}

export interface IssuedToken {
  readonly token: string;
  readonly conversationId: string;
  readonly userId: string;
  /** Seconds from now until the token expires (Direct Line's `expires_in`). */
  readonly expiresIn: number;
  readonly claims: TokenClaims;
}

export interface TokenServiceOptions {
  readonly secret: Buffer;
  readonly clock: Clock;
  /** Default 30 minutes, like Azure's Direct Line. */
  readonly lifetimeSeconds?: number;
}

const HEADER = base64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' }), 'utf8'));

function base64url(buf: Buffer): string {
  return buf.toString('base64url');
}

function parseJsonPart(part: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export class TokenService {
  readonly lifetimeSeconds: number;
  private readonly secret: Buffer;
  private readonly clock: Clock;

  constructor(options: TokenServiceOptions) {
    if (options.secret.length < MIN_SECRET_BYTES) {
      throw new AcademyError(500, `The Direct Line token secret must be at least ${MIN_SECRET_BYTES} bytes`, 'tokenSecret');
    }
    const life = options.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
    if (!Number.isInteger(life) || life < 1) {
      throw new AcademyError(500, 'The Direct Line token lifetime must be a positive whole number of seconds', 'lifetimeSeconds');
    }
    // Copy, so a caller zeroing or reusing its buffer cannot change our key.
    this.secret = Buffer.from(options.secret);
    this.clock = options.clock;
    this.lifetimeSeconds = life;
  }

  /** A token for `userId` in `conversationId`, valid for the configured lifetime from now. */
  issue(conversationId: string, userId: string, owner?: string): IssuedToken {
    if (!conversationId || !userId) throw new AcademyError(500, 'A token needs a conversation id and a user id');
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const claims: TokenClaims = { conversationId, userId, exp: nowSeconds + this.lifetimeSeconds, ...(owner ? { owner } : {}) };
    const payload = base64url(Buffer.from(JSON.stringify({ ...claims, user: userId }), 'utf8'));
    const signingInput = `${HEADER}.${payload}`;
    const token = `${signingInput}.${base64url(this.sign(signingInput))}`;
    return { token, conversationId, userId, expiresIn: this.lifetimeSeconds, claims };
  }

  /**
   * The claims of a genuine, unexpired token. Throws AcademyError 401 for a malformed or
   * tampered token and 403 for an expired one (Direct Line's status for an expired token,
   * which makes the Direct Line client report "expired token" rather than give up silently).
   */
  verify(token: string): TokenClaims {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new AcademyError(401, 'Invalid token');
    }
    const parts = token.split('.');
    if (parts.length !== 3) throw new AcademyError(401, 'Invalid token');
    const [header, payload, signature] = parts as [string, string, string];
    if (!/^[A-Za-z0-9_-]+$/.test(signature)) throw new AcademyError(401, 'Invalid token');
    const expected = this.sign(`${header}.${payload}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AcademyError(401, 'Invalid token');
    }
    const head = parseJsonPart(header);
    if (!isRecord(head) || head.alg !== 'HS256') throw new AcademyError(401, 'Invalid token');
    const body = parseJsonPart(payload);
    if (
      !isRecord(body) ||
      typeof body.conversationId !== 'string' ||
      body.conversationId === '' ||
      typeof body.userId !== 'string' ||
      body.userId === '' ||
      typeof body.exp !== 'number' ||
      !Number.isFinite(body.exp)
    ) {
      throw new AcademyError(401, 'Invalid token');
    }
    const nowSeconds = this.clock.now().getTime() / 1000;
    if (body.exp <= nowSeconds) throw new AcademyError(403, TOKEN_EXPIRED, 'token');
    const owner = typeof body.owner === 'string' && body.owner ? { owner: body.owner } : {};
    return { conversationId: body.conversationId, userId: body.userId, exp: body.exp, ...owner };
  }

  /** A fresh token for the same conversation and user; the old one must still be valid. */
  refresh(token: string): IssuedToken {
    const claims = this.verify(token);
    return this.issue(claims.conversationId, claims.userId, claims.owner);
  }

  private sign(input: string): Buffer {
    return createHmac('sha256', this.secret).update(input, 'utf8').digest();
  }
}
