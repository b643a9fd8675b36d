import type { LmsAllowList } from '../allowList.js';
import type { LmsSessions } from '../sessions.js';

export interface LmsRouteDeps {
  readonly sessions: LmsSessions;
  readonly allow: LmsAllowList;
  /** CSP frame-ancestors of the launch page (LMS_FRAME_ANCESTORS). */
  readonly frameAncestors: readonly string[];
  readonly log: (line: string) => void;
  /** The sealed launch token of the lesson's chat (`/?lesson=…&session=…&launch=…`). */
  readonly launchToken: (learnerId: string, sessionId: string) => string;
}
