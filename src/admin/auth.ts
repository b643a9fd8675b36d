/**
 * Admin sign-in and sessions.
 *
 *  - Sessions: a random id in a signed cookie (HMAC-SHA256, key in DATA_DIR), HttpOnly,
 *    SameSite=Lax, Secure on https, Path=/admin; kept in memory with an idle timeout. Every session
 *    has a synchroniser CSRF token. Opening the sign-in form keeps nothing on the server: its CSRF
 *    token is bound to a signed random nonce in the cookie ("pre-session"). Sessions without a
 *    user (an Entra sign-in under way) are bounded: the oldest go first.
 *  - Failed local sign-ins are throttled per username and client address, or per known device (a
 *    browser that signed in before carries a signed device cookie), with a doubling backoff: a
 *    guesser slows down only themselves, and the admin's own browser keeps working.
 *  - Entra ID (or any OIDC authority): authorization code flow with PKCE through msal-node's
 *    ConfidentialClientApplication. Admin = app role `Academy.Admin` or a name in ADMIN_USERS.
 *  - Local: the account `admin` with ADMIN_PASSWORD, or a generated password printed once and
 *    stored only as a scrypt hash in DATA_DIR/admin-password.json.
 */
import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  ProtocolMode,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import type { AdminConfig } from '../config.js';
import { AcademyError } from '../errors.js';
import type { Clock } from '../ports.js';

export const ADMIN_ROLE = 'Academy.Admin';
export const LOCAL_ADMIN = 'admin';
const COOKIE = 'academy_admin';
const DEVICE_COOKIE = 'academy_admin_device';
const DEVICE_DAYS = 90;
/** Sessions without a signed-in user (Entra sign-ins under way) kept at most. */
const MAX_ANONYMOUS = 1000;

export interface AdminUser {
  readonly name: string;
  readonly via: 'entra' | 'local';
}

export interface Session {
  readonly id: string;
  readonly csrf: string;
  user?: AdminUser;
  lastSeen: number;
  /** An Entra sign-in under way. */
  pending?: { state: string; verifier: string; nonce: string };
}

function sign(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/** In-memory sessions behind a signed cookie. */
export class Sessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly key: Buffer,
    private readonly clock: Clock,
    private readonly idleMs: number,
    private readonly secure: boolean,
  ) {}

  /** The live session the request's cookie names (its idle clock restarts), if any. */
  read(cookieHeader: string | undefined): Session | undefined {
    const raw = parseCookies(cookieHeader).get(COOKIE);
    if (!raw) return undefined;
    const dot = raw.lastIndexOf('.');
    if (dot < 0) return undefined;
    const id = raw.slice(0, dot);
    if (!same(sign(this.key, id), raw.slice(dot + 1))) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.clock.now().getTime();
    if (now - session.lastSeen > this.idleMs) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeen = now;
    return session;
  }

  create(): Session {
    this.sweep();
    const session: Session = { id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url'), lastSeen: this.clock.now().getTime() };
    this.sessions.set(session.id, session);
    return session;
  }

  /** How many sessions are kept (signed in or not). */
  get size(): number {
    return this.sessions.size;
  }

  /**
   * The sign-in form's CSRF token without any server-side state: bound to the signed nonce of the
   * pre-session cookie (a new one when the request has none). `cookie` is set when new.
   */
  preSession(cookieHeader: string | undefined): { csrf: string; cookie?: string } {
    const nonce = this.preNonce(cookieHeader);
    if (nonce) return { csrf: sign(this.key, `csrf:${nonce}`) };
    const fresh = randomBytes(18).toString('base64url');
    return { csrf: sign(this.key, `csrf:${fresh}`), cookie: `${COOKIE}=pre.${fresh}.${sign(this.key, `pre:${fresh}`)}; Path=/admin; HttpOnly; SameSite=Lax${this.secure ? '; Secure' : ''}` };
  }

  /** The CSRF token a form posted with this cookie must carry: its session's, or its pre-session's. */
  expectedCsrf(cookieHeader: string | undefined): string | undefined {
    const session = this.read(cookieHeader);
    if (session) return session.csrf;
    const nonce = this.preNonce(cookieHeader);
    return nonce ? sign(this.key, `csrf:${nonce}`) : undefined;
  }

  private preNonce(cookieHeader: string | undefined): string | undefined {
    const m = /^pre\.([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{43})$/.exec(parseCookies(cookieHeader).get(COOKIE) ?? '');
    return m && same(sign(this.key, `pre:${m[1]}`), m[2]) ? m[1] : undefined;
  }

  /** A signed device cookie for a browser that just signed in (kept if it had a valid one). */
  deviceCookie(cookieHeader: string | undefined): string {
    const id = this.device(cookieHeader) ?? randomBytes(18).toString('base64url');
    return `${DEVICE_COOKIE}=${id}.${sign(this.key, `device:${id}`)}; Path=/admin/sign-in; HttpOnly; SameSite=Strict; Max-Age=${DEVICE_DAYS * 86400}${this.secure ? '; Secure' : ''}`;
  }

  /** The id of a browser that signed in here before, if its device cookie is genuine. */
  device(cookieHeader: string | undefined): string | undefined {
    const m = /^([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{43})$/.exec(parseCookies(cookieHeader).get(DEVICE_COOKIE) ?? '');
    return m && same(sign(this.key, `device:${m[1]}`), m[2]) ? m[1] : undefined;
  }

  /** A fresh session id for a user who just signed in (no session fixation). */
  signIn(old: Session | undefined, user: AdminUser): Session {
    if (old) this.sessions.delete(old.id);
    const session = this.create();
    session.user = user;
    return session;
  }

  destroy(session: Session): void {
    this.sessions.delete(session.id);
  }

  setCookie(session: Session): string {
    return `${COOKIE}=${session.id}.${sign(this.key, session.id)}; Path=/admin; HttpOnly; SameSite=Lax${this.secure ? '; Secure' : ''}`;
  }

  clearCookie(): string {
    return `${COOKIE}=; Path=/admin; HttpOnly; SameSite=Lax; Max-Age=0${this.secure ? '; Secure' : ''}`;
  }

  /** Drops idle sessions, then the oldest sessions without a user beyond MAX_ANONYMOUS. */
  private sweep(): void {
    const now = this.clock.now().getTime();
    let anonymous = 0;
    for (const [id, s] of this.sessions) {
      if (now - s.lastSeen > this.idleMs) this.sessions.delete(id);
      else if (!s.user) anonymous += 1;
    }
    for (const [id, s] of this.sessions) {
      if (anonymous < MAX_ANONYMOUS) break;
      if (!s.user) {
        this.sessions.delete(id);
        anonymous -= 1;
      }
    }
  }
}

// --- local password ---------------------------------------------------------------------------

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

function scrypt(password: string, salt: Buffer, options: ScryptOptions & { keylen: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password, salt, options.keylen, { N: options.N, r: options.r, p: options.p }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

interface PasswordHash {
  readonly algorithm: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
  readonly hash: string;
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT);
  return { algorithm: 'scrypt', N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await scrypt(password, Buffer.from(stored.salt, 'base64'), { N: stored.N, r: stored.r, p: stored.p, keylen: expected.length });
  return timingSafeEqual(actual, expected);
}

/**
 * The local admin password's hash: from ADMIN_PASSWORD (hashed in memory), else from
 * DATA_DIR/admin-password.json, else a new password, printed once through `log`, stored hashed.
 */
export async function localPassword(file: string, configured: string, log: (line: string) => void): Promise<PasswordHash> {
  if (configured) return hashPassword(configured);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as PasswordHash;
    if (stored.algorithm !== 'scrypt' || !stored.salt || !stored.hash) throw new AcademyError(500, `${file} is not an admin password hash; delete it to make a new password`, 'ADMIN_PASSWORD');
    return stored;
  }
  const password = randomBytes(15).toString('base64url');
  const hash = await hashPassword(password);
  writeFileSync(file, JSON.stringify(hash), { mode: 0o600 });
  chmodSync(file, 0o600);
  log(`Admin sign-in at /admin: user "${LOCAL_ADMIN}", password (shown once, stored only as a hash in ${file}):`);
  log(`  ${password}`);
  return hash;
}

export interface ThrottleOptions {
  /** Failures allowed before the backoff starts (default 5). */
  readonly free?: number;
  /** The first wait (default 1 s); it doubles with each further failure. */
  readonly baseMs?: number;
  /** The longest wait (default 15 minutes); a key quiet for twice this long is forgotten. */
  readonly maxMs?: number;
  /** Keys kept at most (default 10,000; the least recently failed go first). */
  readonly maxKeys?: number;
}

interface Failures {
  count: number;
  last: number;
  until: number;
}

/**
 * Failed sign-ins per key (username and client address, or a known device): after `free`
 * failures each further attempt must wait out a doubling backoff; a success clears the key.
 * Another key — the admin at another address, or on their own browser — is never held up.
 */
export class Throttle {
  private readonly failures = new Map<string, Failures>();
  private readonly free: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly maxKeys: number;

  constructor(
    private readonly clock: Clock,
    options: ThrottleOptions = {},
  ) {
    this.free = options.free ?? 5;
    this.baseMs = options.baseMs ?? 1000;
    this.maxMs = options.maxMs ?? 15 * 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** The key of a sign-in attempt: the known device if there is one, else username and address. */
  static key(username: string, address: string, device?: string): string {
    return device ? `device:${device}` : `user:${username.trim().toLowerCase().slice(0, 100)}|${address}`;
  }

  /** 0 when an attempt may go ahead, else how long it must wait (ms). */
  retryAfterMs(key: string): number {
    const entry = this.current(key);
    return entry ? Math.max(0, entry.until - this.clock.now().getTime()) : 0;
  }

  fail(key: string): void {
    const now = this.clock.now().getTime();
    const entry = this.current(key) ?? { count: 0, last: now, until: 0 };
    entry.count += 1;
    entry.last = now;
    if (entry.count >= this.free) entry.until = now + Math.min(this.maxMs, this.baseMs * 2 ** Math.min(entry.count - this.free, 30));
    this.failures.delete(key);
    this.failures.set(key, entry);
    for (const oldest of this.failures.keys()) {
      if (this.failures.size <= this.maxKeys) break;
      this.failures.delete(oldest);
    }
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string): Failures | undefined {
    const entry = this.failures.get(key);
    if (entry && this.clock.now().getTime() - entry.last > 2 * this.maxMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}

// --- Entra ID / OIDC ---------------------------------------------------------------------------

/** msal-node's network calls through node:https with an extra trusted CA (for a private OIDC authority). */
export function networkWithCa(ca: string | Buffer): INetworkModule {
  const send = <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method, headers: options?.headers ?? {}, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
          try {
            resolve({ status: res.statusCode ?? 0, headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T });
          } catch (e) {
            reject(e);
          }
        });
      });
      req.on('error', reject);
      if (method === 'POST') req.write(options?.body ?? '');
      req.end();
    });
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

export type SignInOutcome = { ok: true; user: AdminUser } | { ok: false; name: string; reason: string };

export class EntraSignIn {
  private readonly app: ConfidentialClientApplication;
  private readonly crypto = new CryptoProvider();
  private readonly scopes = ['openid', 'profile', 'email'];

  constructor(
    private readonly entra: NonNullable<AdminConfig['entra']>,
    private readonly adminUsers: readonly string[],
    private readonly redirectUri: string,
    network?: INetworkModule,
  ) {
    const host = new URL(entra.authority).host;
    const isEntra = host === 'login.microsoftonline.com';
    this.app = new ConfidentialClientApplication({
      auth: {
        clientId: entra.clientId,
        clientSecret: entra.clientSecret,
        authority: entra.authority,
        ...(isEntra ? {} : { knownAuthorities: [host] }),
      },
      system: {
        // Any other authority is plain OpenID Connect (discovery at {authority}/.well-known/openid-configuration).
        ...(isEntra ? {} : { protocolMode: ProtocolMode.OIDC }),
        ...(network ? { networkClient: network } : {}),
      },
    });
  }

  /** Where to send the browser; `pending` goes into the session. */
  async start(): Promise<{ url: string; pending: NonNullable<Session['pending']> }> {
    const { verifier, challenge } = await this.crypto.generatePkceCodes();
    const state = randomBytes(24).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    const url = await this.app.getAuthCodeUrl({
      scopes: this.scopes,
      redirectUri: this.redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      nonce,
      responseMode: 'query',
    });
    return { url, pending: { state, verifier, nonce } };
  }

  async finish(pending: NonNullable<Session['pending']>, code: string): Promise<SignInOutcome> {
    // With the request's nonce, msal checks the ID token's nonce itself (and we check again below).
    const result = await this.app.acquireTokenByCode(
      { code, scopes: this.scopes, redirectUri: this.redirectUri, codeVerifier: pending.verifier, state: pending.state, nonce: pending.nonce },
      { code, state: pending.state },
    );
    const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
    if (claims.nonce !== pending.nonce) return { ok: false, name: '(unknown)', reason: 'the sign-in answer did not match this browser' };
    const nameClaim = [claims.preferred_username, claims.upn, claims.email, claims.sub].find((v): v is string => typeof v === 'string' && v.length > 0) ?? '(unknown)';
    const roles = Array.isArray(claims.roles) ? claims.roles : [];
    if (roles.includes(ADMIN_ROLE) || this.adminUsers.includes(nameClaim.toLowerCase())) return { ok: true, user: { name: nameClaim, via: 'entra' } };
    return { ok: false, name: nameClaim, reason: `${nameClaim} does not have the ${ADMIN_ROLE} role` };
  }
}
