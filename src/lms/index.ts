/**
 * The LMS plugin: cmi5 and SCORM 1.2 packages that launch the academy's lessons, and the
 * runtime that reports each launch back to the LMS. One call for the composition root:
 *
 *   const lms = createLms({ catalog, xapiIdBase, secret, clock, ids, log, frameAncestors });
 *   new AcademyBot({ ..., observer: lms.observer });   // the lesson dialog reports progress
 *   lms.register(server);                                // /lms/* routes
 */
import type { Server } from 'restify';
import type { LessonObserver } from '../../dialogs/lessonDialog.js';
import type { Catalog } from '../lessons/catalog.js';
import type { Clock, IdGenerator } from '../ports.js';
import { XapiIds } from '../xapi/profile.js';
import { LmsIds } from './ids.js';
import { registerLmsRoutes } from './routes.js';
import { LmsSessions } from './sessions.js';

export interface LmsDeps {
  readonly catalog: Catalog;
  readonly xapiIdBase: string;
  /** Key of the learner pseudonyms; keep it (DATA_DIR/lms-secret) so LMS learners keep their place. */
  readonly secret: Buffer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly log: (line: string) => void;
  /** Who may frame lessons launched from an LMS (LMS_FRAME_ANCESTORS). */
  readonly frameAncestors: readonly string[];
  /** A sealed, short-lived token the lesson's chat starts with (src/identity): never the bare learner id. */
  readonly launchToken: (learnerId: string, sessionId: string) => string;
}

export interface Lms {
  readonly observer: LessonObserver;
  readonly sessions: LmsSessions;
  register(server: Server): void;
}

export function createLms(deps: LmsDeps): Lms {
  const sessions = new LmsSessions({ catalog: deps.catalog, ids: new LmsIds(new XapiIds(deps.xapiIdBase)), secret: deps.secret, clock: deps.clock, uuids: deps.ids, log: deps.log });
  return {
    observer: sessions,
    sessions,
    register: (server) => registerLmsRoutes(server, { sessions, frameAncestors: deps.frameAncestors, log: deps.log, launchToken: deps.launchToken }),
  };
}
