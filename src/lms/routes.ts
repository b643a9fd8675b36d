/**
 * The LMS plugin's HTTP routes:
 *   GET  /lms/cmi5/launch                 the cmi5 AU launch (endpoint, fetch, actor, registration, activityId)
 *   GET  /lms/sessions/:id                a session's progress (JSON; the launch page and SCOs poll it)
 *   POST /lms/sessions/:id/terminate      end the session (cmi5 `terminated`); answers the returnURL
 *   POST /lms/scorm/sessions              a SCORM 1.2 SCO starts a lesson for its LMS's student
 *   GET  /lms/static/*                    the launch page's script and style
 * The session routes a SCO calls from its LMS's origin answer CORS requests from the allowed LMS
 * origins only (LMS_ALLOWED_ORIGINS); session ids are unguessable, and nothing here names the
 * learner. A failed launch shows a fixed message: what the LMS answered goes to the log only.
 */
import type { Server } from 'restify';
import { registerRoutes } from '../http/index.js';
import type { LmsRouteDeps } from './handlers/deps.js';
import { launchAssets, launchCmi5 } from './handlers/launch.js';
import { getSession, preflight, startScormSession, terminateSession } from './handlers/sessions.js';

export type { LmsRouteDeps } from './handlers/deps.js';

/** The route table (handlers in handlers/launch.ts and handlers/sessions.ts). */
export function registerLmsRoutes(server: Server, deps: LmsRouteDeps): void {
  const { routes: staticRoutes, assets } = launchAssets();
  registerRoutes(server, [
    ...staticRoutes,
    { method: 'get', path: '/lms/cmi5/launch', handler: launchCmi5(deps, assets) },
    { method: 'opts', path: '/lms/sessions/:id', handler: preflight(deps) },
    { method: 'opts', path: '/lms/scorm/sessions', handler: preflight(deps) },
    { method: 'get', path: '/lms/sessions/:id', handler: getSession(deps) },
    { method: 'post', path: '/lms/sessions/:id/terminate', handler: terminateSession(deps) },
    { method: 'post', path: '/lms/scorm/sessions', handler: startScormSession(deps) },
  ]);
}
