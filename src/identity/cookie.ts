import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A web learner's id, as the server issues it: `dl_` and 32 URL-safe characters. */
export const LEARNER_ID = /^dl_[A-Za-z0-9_-]{8,64}$/;
const MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

/**
 * The learner cookie: `<learner id>.<HMAC-SHA256>`, HttpOnly (page script never sees it),
 * SameSite=Strict, Secure and `__Host-` prefixed when the academy is served over https.
 */
export class LearnerCookie {
  readonly name: string;

  constructor(
    private readonly key: Buffer,
    private readonly secure: boolean,
  ) {
    this.name = secure ? '__Host-academy_learner' : 'academy_learner';
  }

  /** The learner id of a genuine cookie on the request, if any. */
  read(req: IncomingMessage): string | undefined {
    const value = cookieValue(req.headers.cookie, this.name);
    if (!value) return undefined;
    const dot = value.lastIndexOf('.');
    const id = value.slice(0, dot);
    if (dot < 0 || !LEARNER_ID.test(id)) return undefined;
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = this.mac(id);
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
  }

  /** The Set-Cookie header binding this browser to `learnerId`. */
  header(learnerId: string): string {
    const attributes = ['Path=/', `Max-Age=${MAX_AGE_SECONDS}`, 'HttpOnly', 'SameSite=Strict', ...(this.secure ? ['Secure'] : [])];
    return `${this.name}=${learnerId}.${this.mac(learnerId).toString('base64url')}; ${attributes.join('; ')}`;
  }

  private mac(learnerId: string): Buffer {
    return createHmac('sha256', this.key).update(`learner-cookie:${learnerId}`).digest();
  }
}

/** One cookie's value from a Cookie header (the first, if sent twice). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
