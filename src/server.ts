import type { CloudAdapter, ActivityHandler } from 'botbuilder';
import restify from 'restify';

export interface ServerDeps {
  readonly adapter: CloudAdapter;
  readonly bot: ActivityHandler;
  /** Readiness facts for /healthz. */
  readonly health: () => Record<string, unknown>;
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
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
  });

  server.get('/healthz', (_req, res, next) => {
    res.json({ status: 'ok', ...deps.health() });
    return next();
  });

  return server;
}
