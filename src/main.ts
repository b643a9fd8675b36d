/**
 * The composition root: reads the validated config, builds storage, the LRS, the bot and the
 * server, and wires them. Nothing else creates long-lived objects; every module gets what it
 * needs passed in. A turn goes: HTTP (server.ts) → CloudAdapter → AcademyBot (dialogs/) →
 * LearningRecorder (src/xapi/) → the LRS port → the embedded LRS (src/lrs/).
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  UserState,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type restify from 'restify';
import { AcademyBot } from '../dialogs/academyBot.js';
import type { ProactivePort } from '../dialogs/qaHandler.js';
import { registerAdmin } from './admin/index.js';
import { loadConfig, readDotEnv, type Config } from './config.js';
import { registerDirectLine } from './directline/routes.js';
import { isAcademyError } from './errors.js';
import { Catalog, ContentLoader } from './lessons/catalog.js';
import { loadGlossary } from './lessons/glossary.js';
import { loadSelfCheck } from './lessons/selfCheck.js';
import { TOPICS } from './lessons/syllabus.js';
import { loadOrCreateCredentials } from './lrs/credentials.js';
import { createEmbeddedLrs } from './lrs/index.js';
import { createLms } from './lms/index.js';
import { LMS_OUTBOX_FILE } from './lms/cmi5/delivery.js';
import { lrsTarget, outboxFile, startOutbox, type RunningOutbox } from './outbox/index.js';
import { randomIds, systemClock, type Clock, type IdGenerator } from './ports.js';
import { dataKey } from './secrets.js';
import { buildServer } from './server.js';
import { EmbeddedLearnerRecords, LrsLearnerRecords } from './privacy/learnerRecords.js';
import { HttpStatementSource } from './records/sources.js';
import { SqliteStorage } from './storage/sqliteStorage.js';
import { defaultQaDataDir, loadQaData } from './qa/data.js';
import { QaEngine } from './qa/engine.js';
import { loadSafetyNet } from './qa/safetyNet/model.js';
import { loadTopicNet } from './qa/topics/model.js';
import { createGenerativeAnswerer } from './qa/generative.js';
import { groundedRewriter } from './qa/rewrite.js';
import { QaStore } from './qa/store.js';
import { ChampionsDirectory } from './qa/champions.js';
import { championSource, contentSource, curationSource } from './qa/adminSources.js';
import { registerWebChatPage } from './web/page.js';
import { WebIdentity } from './identity/index.js';
import { ResumeCodes } from './identity/resume.js';
import { registerResumeRoutes } from './identity/routes.js';
import { RateLimiter } from './security/rateLimit.js';
import type { GateOptions } from './security/activityGate.js';
import { forwardKey } from './security/localForward.js';
import { XapiIds } from './xapi/profile.js';
import { LearningRecorder } from './xapi/recorder.js';
import { StatementFactory } from './xapi/statements.js';

export interface Academy {
  readonly server: restify.Server;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly lrsCredentials: { readonly key: string; readonly secret: string };
  /** The durable outbox the bot records through, and its sender. */
  readonly outbox: RunningOutbox;
  /** Stops taking work, finishes turns in flight (at most graceMs, default 8 s), flushes the outbox, closes the stores. */
  close(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly log?: (line: string) => void;
}

export async function startAcademy(config: Config, options: StartOptions = {}): Promise<Academy> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const log = options.log ?? ((line: string) => console.log(line));
  // DATA_DIR holds learners' records and the academy's keys: its owner only (each file is 0600 too).
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(config.dataDir, 0o700);
  } catch {
    log(`Warning: could not make ${config.dataDir} private to its owner (chmod 700).`);
  }

  // Content: validated at start, so a broken file stops the start with its name and field.
  const catalog = new Catalog(new ContentLoader(config.contentDir).load(), TOPICS.map((t) => t.code));

  // The embedded LRS.
  const given = config.embeddedLrs.key ? { key: config.embeddedLrs.key, secret: config.embeddedLrs.secret } : undefined;
  const credentials = loadOrCreateCredentials(config.dataDir, given);
  if (credentials.created) {
    log(`Embedded LRS credentials were generated and saved in ${join(config.dataDir, 'lrs-credentials.json')} (shown once):`);
    log(`  key: ${credentials.key}\n  secret: ${credentials.secret}`);
  }
  const lrs = createEmbeddedLrs({ file: join(config.dataDir, 'lrs.sqlite'), store: { cursorKey: dataKey(config.dataDir, 'lrs-cursor-key') }, credentials, clock, ids, baseUrl: `${config.baseUrl}/xapi`, defaultVersion: config.embeddedLrs.defaultVersion, log: (e) => log(`LRS error: ${String(e)}`) });
  const authority = lrs.authority;
  // The bot records into the durable outbox (DATA_DIR/outbox.sqlite); its sender delivers to
  // LRS_ENDPOINT when set, else to the embedded LRS. The embedded LRS serves /xapi either way.
  const outbox = startOutbox({
    file: outboxFile(config),
    target: lrsTarget(config, lrs, clock),
    clock,
    ids,
    batchSize: config.outbox.batchSize,
    retry: { baseMs: config.outbox.retryBaseMs, maxMs: config.outbox.retryMaxMs },
    log,
  });
  const lrsPort = outbox.port;

  const authOptions: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(authOptions));
  adapter.onTurnError = async (context, error) => {
    log(`Unhandled turn error: ${error.stack ?? error.message}`);
    await context.sendActivity('Sorry, something went wrong on my side. Type "menu" to carry on.');
  };

  // Question answering: the engine (index built once, here), what it keeps, and optional generative answers.
  // Questions a curator attached to a topic count as new phrasings of it.
  const qaStore = new QaStore(join(config.dataDir, 'qa.sqlite'), clock, ids);
  const champions = new ChampionsDirectory(qaStore, config.champions);
  const qaDataDir = existsSync(join(config.contentDir, 'qa', 'triage.yaml')) ? join(config.contentDir, 'qa') : defaultQaDataDir();
  const qaEngine = new QaEngine(catalog.lessons, loadQaData(qaDataDir), {}, loadSafetyNet(qaDataDir), loadTopicNet(qaDataDir));
  // attached earlier: learned again at start; attached while running: learned at once (curationSource below)
  for (const a of qaStore.attachedPhrasings()) qaEngine.learn(a.question, a.topic);
  const answerer = createGenerativeAnswerer(config.generative, {
    screen: { assess: (text: string) => ({ kind: qaEngine.explain(text).triage.kind }) },
    log: (fallback, detail) => log(`Generative answer not used (${fallback}): ${detail}`),
  });
  const proactive: ProactivePort = {
    send: (reference, activity) => adapter.continueConversationAsync(config.bot.appId, reference, async (ctx) => void (await ctx.sendActivity(activity))),
  };

  // Where learning records are read back (the admin review, a learner's "what do you keep about me"):
  // the external LRS when records go there, else the embedded one.
  const homePage = new XapiIds(config.xapiIdBase).accountHomePage;
  const source = config.lrs.endpoint ? new HttpStatementSource({ endpoint: config.lrs.endpoint, key: config.lrs.key, secret: config.lrs.secret }) : undefined;
  const records = source
    ? new LrsLearnerRecords(source, (voiding) => outbox.port.send(voiding), homePage, authority, clock, ids, outbox.port)
    : new EmbeddedLearnerRecords(lrs.store, homePage, authority, clock, ids, outbox.port);

  // Web learners' identity: a server-issued id in a signed HttpOnly cookie, LMS launch tokens, resume codes.
  const cookieKey = dataKey(config.dataDir, 'learner-cookie-key');
  const resumeCodes = new ResumeCodes(join(config.dataDir, 'identity.sqlite'), cookieKey, clock);
  const identity = new WebIdentity({ cookieKey, launchKey: cookieKey, secure: config.baseUrl.startsWith('https:'), codes: resumeCodes, clock });

  // Bot state and the bot.
  const storage = new SqliteStorage(join(config.dataDir, 'bot-state.sqlite'));
  const migrated = storage.migrateFromLowdb(join(config.dataDir, 'bot-state.json'));
  if (migrated > 0) log(`Bot state: ${migrated} entries moved from bot-state.json into bot-state.sqlite (the old file is kept as bot-state.json.migrated).`);
  const recorder = new LearningRecorder(lrsPort, clock, ids, (error) => log(`Could not record learning statements: ${String(error)}`));
  // The LMS plugin (cmi5, SCORM 1.2): its sessions learn lesson progress from the lesson dialog.
  const lms = createLms({
    catalog,
    xapiIdBase: config.xapiIdBase,
    secret: dataKey(config.dataDir, 'lms-secret'),
    clock,
    ids,
    log,
    config: config.lms,
    outboxFile: join(config.dataDir, LMS_OUTBOX_FILE),
    retry: { baseMs: config.outbox.retryBaseMs, maxMs: config.outbox.retryMaxMs },
    launchToken: (learner, session) => identity.launchToken(learner, session),
  });
  const bot = new AcademyBot({
    conversationState: new ConversationState(storage),
    userState: new UserState(storage),
    greetingStorage: storage,
    catalog,
    glossary: loadGlossary(config.contentDir),
    skills: loadSelfCheck(config.contentDir),
    records,
    privacyUrl: `${config.baseUrl}/privacy`,
    qa: qaEngine,
    qaStore,
    champions,
    resume: { create: (id) => resumeCodes.create(id), revoke: (id) => resumeCodes.revoke(id), url: `${config.baseUrl}/resume` },
    proactive,
    ...(answerer ? { generative: groundedRewriter(answerer, catalog) } : {}),
    recorder,
    observer: lms.observer,
    statements: new StatementFactory(new XapiIds(config.xapiIdBase)),
    clock,
    ids,
    log: (message, error) => log(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error ?? '')}`),
  });

  const directLineSecret = dataKey(config.dataDir, 'directline-secret');
  const gate: GateOptions = { authenticated: Boolean(config.bot.appId), forwardKey: forwardKey(directLineSecret), extraServiceUrls: config.security.localServiceUrls };
  let stopping = false;
  const server = buildServer({
    adapter,
    bot,
    gate,
    health: () => ({ lessons: catalog.lessons.length, lrs: config.lrs.endpoint ? 'external' : 'embedded', outboxQueued: outbox.port.queued() }),
    logError: (message, error) => log(`${message} ${error instanceof Error ? error.message : String(error)}`),
    ready: () => !stopping,
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  if (!config.bot.appId) {
    log(
      config.hostExplicit
        ? `No MicrosoftAppId: /api/messages accepts only the local Direct Line's signed activities${config.security.localServiceUrls.length ? ' and unsigned ones from LOCAL_SERVICE_URLS' : ''}. Listening on ${config.host} (HOST).`
        : `No MicrosoftAppId: listening on ${config.host} only (set HOST to listen elsewhere); /api/messages accepts only the local Direct Line's signed activities.`,
    );
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  // Routes are added right after listen (no await in between, so no request can come first):
  // the local Direct Line forwards web chat to our own /api/messages and needs the real port.
  lrs.register(server, '/xapi', config.embeddedLrs.maxBodyBytes);
  const directLine = registerDirectLine(server, {
    botEndpoint: `${url}/api/messages`,
    selfBaseUrl: url,
    tokenSecret: directLineSecret,
    clock,
    ids,
    ...(config.directLine.secret ? { azure: { secret: config.directLine.secret, endpoint: config.directLine.endpoint } } : {}),
    log,
    identity,
    rateLimits: { perIp: config.security.tokensPerIpPerMinute, perLearner: config.security.tokensPerLearnerPerMinute, trustProxy: config.security.trustProxy },
  });
  gate.localServiceUrl = directLine.serviceUrl;
  registerResumeRoutes(server, { identity, limiter: new RateLimiter(config.security.resumeAttemptsPerIpPerMinute, 60_000, clock), trustProxy: config.security.trustProxy, log });
  // The admin review at /admin, and the learners' /privacy page (so the web page's placeholder is off).
  const admin = registerAdmin(server, { config, store: lrs.store, authority, clock, ids, log, curation: curationSource(qaStore, qaEngine), champions: championSource(qaStore, champions), content: contentSource(catalog, qaStore), ...(source ? { source } : {}) });
  registerWebChatPage(server, { connectSrc: directLine.browserOrigins, lessonFrameAncestors: config.lms.frameAncestors, privacyPage: false });
  lms.register(server);

  return {
    server,
    url,
    lrsCredentials: { key: credentials.key, secret: credentials.secret },
    outbox,
    close: async (graceMs = 8000) => {
      // Stop taking work, let the turns in flight finish (at most graceMs), deliver what the
      // outbox holds while there is time (it stays on disk either way), then close the stores.
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      const timer = setTimeout(() => server.server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      await outbox.flush(Math.max(0, Math.min(2000, deadline - Date.now())));
      await outbox.close();
      await lms.close();
      admin.close();
      qaStore.close();
      storage.close();
      resumeCodes.close();
      lrs.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig({ ...readDotEnv(process.cwd()), ...process.env });
  } catch (e) {
    if (isAcademyError(e)) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  let academy: Academy;
  try {
    academy = await startAcademy(config);
  } catch (e) {
    if (isAcademyError(e)) {
      console.error(`The academy could not start: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const port = new URL(academy.url).port;
  console.log(`Digital Skills Academy is running.`);
  console.log(`  Web chat:  http://localhost:${port}/`);
  console.log(`  Bot:       http://localhost:${port}/api/messages`);
  console.log(`  LRS:       http://localhost:${port}/xapi/  (data in ${config.dataDir})`);
  console.log(`  Admin:     http://localhost:${port}/admin`);
  // Last line of defence: an error no handler caught is logged and the academy keeps serving
  // (route handlers are guarded in src/server.ts; this catches what escapes them).
  process.on('uncaughtException', (error) => console.error('An unexpected error was caught; the academy goes on serving.', error));
  process.on('unhandledRejection', (reason) => console.error('An unexpected rejection was caught; the academy goes on serving.', reason));
  // SIGTERM (a rolling upgrade, a scale-in): finish what is in flight and stop within 10 s.
  const stop = () => {
    console.log('Stopping: finishing the turns in flight, then closing the stores.');
    setTimeout(() => process.exit(1), 10_000).unref();
    academy.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void main();
}
