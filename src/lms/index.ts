/**
 * The LMS plugin: cmi5 and SCORM 1.2 packages that launch the academy's lessons, and the
 * runtime that reports each launch back to the LMS. One call for the composition root:
 *
 *   const lms = createLms({ catalog, xapiIdBase, secret, clock, ids, log, config: config.lms, outboxFile, retry });
 *   new AcademyBot({ ..., observer: lms.observer });   // the lesson dialog reports progress
 *   lms.register(server);                                // /lms/* routes
 *   await lms.close();                                   // stops the cmi5 outbox's sender
 */
import type { Server } from 'restify';
import type { LessonObserver } from '../lessons/observer.js';
import type { LmsConfig } from '../config.js';
import type { Catalog } from '../lessons/catalog.js';
import type { RetryPolicy } from '../outbox/types.js';
import type { Clock, IdGenerator } from '../ports.js';
import { XapiIds } from '../xapi/profile.js';
import { LmsAllowList } from './allowList.js';
import { lmsCaller } from './cmi5/client.js';
import { Cmi5Delivery } from './cmi5/delivery.js';
import { LmsIds } from './ids.js';
import { launchKey } from './launchToken.js';
import { registerLmsRoutes } from './routes.js';
import { LmsSessions } from './sessions.js';

export interface LmsDeps {
  readonly catalog: Catalog;
  readonly xapiIdBase: string;
  /** Key of the learner pseudonyms and (derived) of SCORM launch data; keep it (DATA_DIR/lms-secret). */
  readonly secret: Buffer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly log: (line: string) => void;
  /** The allow-lists, timeouts and framing (LMS_ALLOWED_ORIGINS, CMI5_ALLOWED_ENDPOINTS, …). */
  readonly config: LmsConfig;
  /** The cmi5 outbox file (DATA_DIR/lms-outbox.sqlite), or ':memory:'. */
  readonly outboxFile: string;
  readonly retry: RetryPolicy;
  /** A sealed, short-lived token the lesson's chat starts with (src/identity): never the bare learner id. */
  readonly launchToken: (learnerId: string, sessionId: string) => string;
}

export interface Lms {
  readonly observer: LessonObserver;
  readonly sessions: LmsSessions;
  register(server: Server): void;
  close(): Promise<void>;
}

export function createLms(deps: LmsDeps): Lms {
  const allow = new LmsAllowList(deps.config.allowedOrigins, deps.config.cmi5Endpoints);
  const caller = lmsCaller({ allowed: (url) => allow.isCmi5Url(url), timeoutMs: deps.config.requestTimeoutMs });
  const delivery = new Cmi5Delivery({ file: deps.outboxFile, caller, clock: deps.clock, retry: deps.retry, log: deps.log });
  const sessions = new LmsSessions({
    catalog: deps.catalog,
    ids: new LmsIds(new XapiIds(deps.xapiIdBase)),
    secret: deps.secret,
    clock: deps.clock,
    uuids: deps.ids,
    log: deps.log,
    allow,
    caller,
    delivery,
    launchKey: launchKey(deps.secret),
  });
  return {
    observer: sessions,
    sessions,
    register: (server) => registerLmsRoutes(server, { sessions, allow, frameAncestors: deps.config.frameAncestors, log: deps.log, launchToken: deps.launchToken }),
    close: () => delivery.close(),
  };
}
