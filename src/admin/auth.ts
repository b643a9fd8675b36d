/**
 * Admin sign-in and sessions.
 *
 *  - Sessions: a random id in a signed cookie (HMAC-SHA256, key in DATA_DIR), HttpOnly,
 *    SameSite=Lax, Secure on https, Path=/admin; kept in memory with an idle timeout. Every session
 *    (also the anonymous one a sign-in form gets) has a synchroniser CSRF token.
 *  - Entra ID (or any OIDC authority): authorization code flow with PKCE through msal-node's
 *    ConfidentialClientApplication. Admin = app role `Academy.Admin` or a name in ADMIN_USERS.
 *  - Local: the account `admin` with ADMIN_PASSWORD, or a generated password printed once and
 *    stored only as a scrypt hash in DATA_DIR/admin-password.json.
 */
import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [id, s] of this.sessions) if (now - s.lastSeen > this.idleMs) this.sessions.delete(id);
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
export async function localPassword(dataDir: string, configured: string, log: (line: string) => void): Promise<PasswordHash> {
  if (configured) return hashPassword(configured);
  const file = join(dataDir, 'admin-password.json');
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

/** At most `max` failed sign-ins per client in `windowMs`. */
export class Throttle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly clock: Clock,
    private readonly max = 10,
    private readonly windowMs = 15 * 60_000,
  ) {}
  blocked(client: string): boolean {
    const now = this.clock.now().getTime();
    const recent = (this.failures.get(client) ?? []).filter((t) => now - t < this.windowMs);
    this.failures.set(client, recent);
    return recent.length >= this.max;
  }
  fail(client: string): void {
    this.failures.set(client, [...(this.failures.get(client) ?? []), this.clock.now().getTime()]);
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
