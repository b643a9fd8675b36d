/**
 * The launch data a SCORM package carries: the lesson, signed by the academy that exported it
 * (HMAC-SHA-256 with a key derived from DATA_DIR/lms-secret). `POST /lms/scorm/sessions` starts
 * a session only for launch data this academy signed, so a session cannot be made up for any
 * lesson id by anyone who can send an HTTP request.
 *
 *   token = "1." + base64url(JSON {"l": lesson}) + "." + base64url(HMAC(key, "1." + payload))
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AcademyError } from '../errors.js';

const PURPOSE = 'academy scorm12 launch data v1';
const MAX_TOKEN = 512;

/** The signing key, derived from the LMS secret so it never doubles as the pseudonym key. */
export function launchKey(lmsSecret: Buffer): Buffer {
  return createHmac('sha256', lmsSecret).update(PURPOSE).digest();
}

function mac(key: Buffer, signed: string): string {
  return createHmac('sha256', key).update(signed).digest('base64url');
}

export function signLaunch(key: Buffer, lesson: string): string {
  const signed = `1.${Buffer.from(JSON.stringify({ l: lesson }), 'utf8').toString('base64url')}`;
  return `${signed}.${mac(key, signed)}`;
}

const refused = (): AcademyError => new AcademyError(403, 'This lesson package was not exported by this academy (its launch data is missing or not signed by it). Export the SCORM package again and upload it to your LMS.', 'launch');

/** The lesson the launch data names, or a 403 when it is missing, malformed or not signed with `key`. */
export function verifyLaunch(key: Buffer, token: unknown): string {
  if (typeof token !== 'string' || token.length > MAX_TOKEN) throw refused();
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== '1') throw refused();
  const expected = Buffer.from(mac(key, `${parts[0]}.${parts[1]}`));
  const given = Buffer.from(parts[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refused();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  const lesson = typeof body === 'object' && body !== null && 'l' in body ? body.l : undefined;
  if (typeof lesson !== 'string') throw refused();
  return lesson;
}
