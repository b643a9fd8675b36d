import type { CloudAdapter, ActivityHandler } from 'botbuilder';
import restify from 'restify';
import { isAcademyError } from './errors.js';
import { sendJson } from './http.js';
import { admitActivity, type GateOptions } from './security/activityGate.js';

export interface ServerDeps {
  readonly adapter: CloudAdapter;
  readonly bot: ActivityHandler;
  /** Readiness facts for /healthz. */
  readonly health: () => Record<string, unknown>;
  /** Which activities /api/messages accepts, and from where (src/security/activityGate.ts). */
  readonly gate: GateOptions;
}

/**
 * The HTTP server and the routes every deployment has: the Bot Framework endpoint and the
 * health check. Other capabilities (LRS, Direct Line, web page) register their own routes on it.
 * No global body parser: each route reads its own body (the LRS needs raw bodies).
 */
export function buildServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'digital-skills-academy', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));

  // Bot Framework: Teams, Azure Bot Service, Agents Playground and the local Direct Line post here.
  server.post('/api/messages', restify.plugins.bodyParser({ maxBodySize: 512 * 1024, mapParams: false }), async (req, res) => {
    try {
      admitActivity(req, deps.gate);
    } catch (e) {
      if (!isAcademyError(e)) throw e;
      sendJson(res, e.status, { error: { code: e.status === 403 ? 'Forbidden' : 'BadArgument', message: e.message } });
      return;
    }
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
  });

  server.get('/healthz', (_req, res, next) => {
    res.json({ status: 'ok', ...deps.health() });
    return next();
  });

  return server;
}
