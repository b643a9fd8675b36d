import { createHmac } from 'node:crypto';
import type { XapiIds } from '../xapi/profile.js';

/**
 * The ids the LMS packages use. They come from XAPI_ID_BASE and content ids only, so two
 * exports (on any machine) give the same ids and an LMS keeps its learners' records on re-import.
 */
export class LmsIds {
  constructor(readonly xapi: XapiIds) {}

  /** The cmi5 course: the whole academy, or one topic area. */
  course(area?: string): string {
    return area ? `${this.xapi.base}/cmi5/course/${encodeURIComponent(area)}` : this.xapi.academy;
  }
  /** A cmi5 block: one topic area (the academy's course activity). */
  block(area: string): string {
    return this.xapi.course(area);
  }
  /** A cmi5 AU (the publisher id): the academy's lesson activity. */
  au(lessonId: string): string {
    return this.xapi.lesson(lessonId);
  }
  /** The lesson an AU publisher id names, if it is one of ours. */
  lessonOfAu(auId: string): string | undefined {
    const prefix = this.xapi.lesson('');
    return auId.startsWith(prefix) ? decodeURIComponent(auId.slice(prefix.length)) : undefined;
  }
}

/**
 * The academy's pseudonymous learner id for a person an LMS names: `dl_` and 32 characters of an
 * HMAC of the LMS's identity for them, keyed with a secret kept in DATA_DIR. The same LMS learner
 * always gets the same id (so a relaunch resumes), and the id reveals nothing about them.
 */
export function lmsLearnerId(secret: Buffer, identity: string): string {
  return 'dl_' + createHmac('sha256', secret).update(identity).digest('base64url').slice(0, 32);
}
