import { randomBytes } from 'node:crypto';
import { WebIdentity } from '../../src/identity/index.js';
import { ResumeCodes } from '../../src/identity/resume.js';
import { systemClock, type Clock } from '../../src/ports.js';

/** The real web identity (signed cookie, launch tokens, resume codes) with fresh keys, in memory. */
export function testIdentity(clock: Clock = systemClock, secure = false): WebIdentity {
  const key = randomBytes(32);
  return new WebIdentity({ cookieKey: key, launchKey: key, secure, codes: new ResumeCodes(':memory:', key, clock), clock });
}
