import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AcademyError } from '../errors.js';
import { LMS_SESSION_PATTERN } from '../lms/marker.js';
import type { Clock } from '../ports.js';
import { LEARNER_ID, LearnerCookie } from './cookie.js';
import type { ResumeCodes } from './resume.js';
import { Sealer } from './seal.js';

/** How long a lesson link from an LMS can start a chat: the launch page makes a new one each time. */
export const LAUNCH_LIFETIME_SECONDS = 60 * 60;

/** Who a web chat is for: the browser's own learner, or the LMS learner of a signed launch. */
export interface ChatLearner {
  readonly learnerId: string;
  /** Set for an LMS launch: the session every activity of the chat belongs to. */
  readonly lmsSession?: string;
}

export interface WebIdentityOptions {
  /** HMAC key of the learner cookie (DATA_DIR/learner-cookie-key). */
  readonly cookieKey: Buffer;
  /** Key of LMS launch tokens (DATA_DIR/learner-cookie-key works too: purposes are separated). */
  readonly launchKey: Buffer;
  /** Cookies get Secure (and the __Host- prefix) when the academy is served over https. */
  readonly secure: boolean;
  readonly codes: ResumeCodes;
  readonly clock: Clock;
}

/**
 * Web learners' identity, issued by the server: a random `dl_` id bound to this browser by a
 * signed HttpOnly cookie; an LMS lesson carries a sealed, short-lived launch token instead; and a
 * resume code moves a learner to another browser. The page never chooses or sees a bare id.
 */
export class WebIdentity {
  readonly cookie: LearnerCookie;
  private readonly launches: Sealer;

  constructor(private readonly options: WebIdentityOptions) {
    this.cookie = new LearnerCookie(options.cookieKey, options.secure);
    this.launches = new Sealer(options.launchKey, 'lms-launch', options.clock);
  }

  get codes(): ResumeCodes {
    return this.options.codes;
  }

  /** The learner of a chat request: a launch token's, else the cookie's (a new learner and cookie if none). */
  learnerFor(req: IncomingMessage, res: ServerResponse, launch: unknown): ChatLearner {
    if (launch !== undefined) return this.openLaunch(launch);
    const known = this.cookie.read(req);
    if (known) return { learnerId: known };
    const learnerId = newLearnerId();
    this.bind(res, learnerId);
    return { learnerId };
  }

  /** Binds this browser to `learnerId` (a new learner, or one whose resume code was redeemed). */
  bind(res: ServerResponse, learnerId: string): void {
    res.setHeader('Set-Cookie', this.cookie.header(learnerId));
  }

  /** The sealed token a lesson launched from an LMS starts its chat with. */
  launchToken(learnerId: string, lmsSession: string): string {
    return this.launches.seal({ l: learnerId, s: lmsSession }, LAUNCH_LIFETIME_SECONDS);
  }

  private openLaunch(token: unknown): ChatLearner {
    const p = this.launches.open(token);
    if (typeof p.l !== 'string' || !LEARNER_ID.test(p.l) || typeof p.s !== 'string' || !LMS_SESSION_PATTERN.test(p.s)) {
      throw new AcademyError(401, 'Invalid or expired link');
    }
    return { learnerId: p.l, lmsSession: p.s };
  }
}

/** `dl_` and 32 characters from 24 random bytes. */
export function newLearnerId(): string {
  return `dl_${randomBytes(24).toString('base64url')}`;
}
