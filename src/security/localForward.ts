import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The local Direct Line signs every activity it forwards to /api/messages (HMAC-SHA256 of the
 * exact body, keyed from the Direct Line token secret in DATA_DIR). Without MicrosoftAppId this
 * signature is what tells the bot an activity really came through the academy's own Direct Line.
 */
export const FORWARD_HEADER = 'x-academy-direct-line-signature';

export function forwardKey(tokenSecret: Buffer): Buffer {
  return createHmac('sha256', tokenSecret).update('academy-direct-line-forward').digest();
}

export function signForward(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body, 'utf8').digest('base64url');
}

export function verifyForward(key: Buffer, body: string, header: unknown): boolean {
  if (typeof header !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(header)) return false;
  const given = Buffer.from(header, 'base64url');
  const expected = createHmac('sha256', key).update(body, 'utf8').digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
