/**
 * The composition root: reads the validated config, builds storage, the LRS, the bot and the
 * server, and wires them. Nothing else creates long-lived objects; every module gets what it
 * needs passed in. A turn goes: HTTP (server.ts) → CloudAdapter → AcademyBot (dialogs/) →
 * StatementFactory → LearningRecorder (stamps; src/xapi/) → the outbox (src/outbox/) → the LRS.
 * startAcademy is a list of small wiring steps, each below; every DATA_DIR file comes from dataPaths.
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
import { WebIdentity } from './identity/index.js';
import { ResumeCodes } from './identity/resume.js';
import { registerResumeRoutes } from './identity/routes.js';
import { Catalog, ContentLoader } from './lessons/catalog.js';
import { loadGlossary } from './lessons/glossary.js';
import { loadSelfCheck } from './lessons/selfCheck.js';
import { TOPICS } from './lessons/syllabus.js';
import { createLms, type Lms } from './lms/index.js';
import { createEmbeddedLrs, loadOrCreateCredentials, type EmbeddedLrs, type LoadedCredentials } from './lrs/index.js';
import { lrsTarget, startOutbox, type RetryPolicy, type RunningOutbox } from './outbox/index.js';
import { dataPaths } from './paths.js';
import { randomIds, systemClock, type Clock, type IdGenerator } from './ports.js';
import { EmbeddedLearnerRecords, LrsLearnerRecords, type LearnerRecords } from './privacy/learnerRecords.js';
import { championSource, contentSource, curationSource } from './qa/adminSources.js';
import { ChampionsDirectory } from './qa/champions.js';
import { defaultQaDataDir, loadQaData } from './qa/data.js';
import { QaEngine } from './qa/engine.js';
import { createGenerativeAnswerer } from './qa/generative.js';
import { groundedRewriter } from './qa/rewrite.js';
import { loadSafetyNet } from './qa/safetyNet/model.js';
import { QaStore } from './qa/store.js';
import { loadTopicNet } from './qa/topics/model.js';
import type { StatementSource } from './records/ports.js';
import { HttpStatementSource } from './records/sources.js';
import { dataKey } from './secrets.js';
import type { GateOptions } from './security/activityGate.js';
import { forwardKey } from './security/localForward.js';
import { RateLimiter } from './security/rateLimit.js';
import { buildServer, type ServerDeps } from './server.js';
import { SqliteStorage } from './storage/sqliteStorage.js';
import { registerWebChatPage } from './web/page.js';
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

/** What every wiring step below is given: the config, the ports and the files in DATA_DIR. */
interface Wiring {
  readonly config: Config;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly log: (line: string) => void;
  readonly paths: ReturnType<typeof dataPaths>;
}

/** The learning-record side: the embedded LRS, the outbox and the statement pipeline into it. */
interface Records {
  readonly lrs: EmbeddedLrs;
  readonly credentials: LoadedCredentials;
  readonly outbox: RunningOutbox;
  readonly recorder: LearningRecorder;
  /** Where records are read back from when they go to an external LRS. */
  readonly source: StatementSource | undefined;
  readonly learnerRecords: LearnerRecords;
}

interface Qa {
  readonly store: QaStore;
  readonly engine: QaEngine;
  readonly champions: ChampionsDirectory;
  readonly answerer: ReturnType<typeof createGenerativeAnswerer>;
}

interface Identity {
  readonly identity: WebIdentity;
  readonly resumeCodes: ResumeCodes;
}

/** DATA_DIR holds learners' records and the academy's keys: its owner only (each file is 0600 too). */
function prepareDataDir(w: Wiring): void {
  mkdirSync(w.config.dataDir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(w.config.dataDir, 0o700);
  } catch {
    w.log(`Warning: could not make ${w.config.dataDir} private to its owner (chmod 700).`);
  }
}

/**
 * The embedded LRS (it serves /xapi either way), the durable outbox (its sender delivers to
 * LRS_ENDPOINT when set, else to the embedded LRS), the recorder the bot records through, and
 * the learner's own view of their record (read back from where the records go).
 */
function startRecords(w: Wiring): Records {
  const { config, clock, ids, log, paths } = w;
  const given = config.embeddedLrs.key ? { key: config.embeddedLrs.key, secret: config.embeddedLrs.secret } : undefined;
  const credentials = loadOrCreateCredentials(config.dataDir, given);
  if (credentials.created) {
    log(`Embedded LRS credentials were generated and saved in ${paths.lrsCredentials} (shown once):`);
    log(`  key: ${credentials.key}\n  secret: ${credentials.secret}`);
  }
  const lrs = createEmbeddedLrs({ file: paths.lrs, store: { cursorKey: dataKey(paths.lrsCursorKey) }, credentials, clock, ids, baseUrl: `${config.baseUrl}/xapi`, defaultVersion: config.embeddedLrs.defaultVersion, log: (e) => log(`LRS error: ${String(e)}`) });
  const outbox = startOutbox({
    file: paths.outbox,
    target: lrsTarget(config, lrs, clock),
    clock,
    batchSize: config.outbox.batchSize,
    retry: retryPolicy(config),
    log,
  });
  const recorder = new LearningRecorder(outbox.port, clock, ids, (error) => log(`Could not record learning statements: ${String(error)}`));
  const homePage = new XapiIds(config.xapiIdBase).accountHomePage;
  const { endpoint, key, secret, version } = config.lrs;
  const source = endpoint ? new HttpStatementSource({ endpoint, key, secret, version }) : undefined;
  const learnerRecords = source
    ? new LrsLearnerRecords(source, recorder, homePage, lrs.authority, outbox.port)
    : new EmbeddedLearnerRecords(lrs.store, homePage, lrs.authority, clock, ids, outbox.port);
  return { lrs, credentials, outbox, recorder, source, learnerRecords };
}

function retryPolicy(config: Config): RetryPolicy {
  return { baseMs: config.outbox.retryBaseMs, maxMs: config.outbox.retryMaxMs };
}

function createAdapter(config: Config): CloudAdapter {
  const authOptions: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  // A failed turn is answered by the bot itself (AcademyBot.run), which also saves state.
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(authOptions));
}

/**
 * Question answering: the engine (index built once, here), what it keeps, and optional generative
 * answers. Questions a curator attached to a topic count as new phrasings of it.
 */
function startQa(w: Wiring, catalog: Catalog): Qa {
  const { config, clock, ids, log } = w;
  const store = new QaStore(w.paths.qa, clock, ids);
  const champions = new ChampionsDirectory(store, config.champions);
  const qaDataDir = existsSync(join(config.contentDir, 'qa', 'triage.yaml')) ? join(config.contentDir, 'qa') : defaultQaDataDir();
  const engine = new QaEngine(catalog.lessons, loadQaData(qaDataDir), {}, loadSafetyNet(qaDataDir), loadTopicNet(qaDataDir));
  // attached earlier: learned again at start; attached while running: learned at once (curationSource)
  for (const a of store.attachedPhrasings()) engine.learn(a.question, a.topic);
  const answerer = createGenerativeAnswerer(config.generative, {
    screen: { assess: (text: string) => ({ kind: engine.explain(text).triage.kind }) },
    log: (fallback, detail) => log(`Generative answer not used (${fallback}): ${detail}`),
  });
  return { store, engine, champions, answerer };
}

/** Web learners' identity: a server-issued id in a signed HttpOnly cookie, LMS launch tokens, resume codes. */
function startIdentity(w: Wiring): Identity {
  const cookieKey = dataKey(w.paths.learnerCookieKey);
  const resumeCodes = new ResumeCodes(w.paths.identity, cookieKey, w.clock);
  const identity = new WebIdentity({ cookieKey, launchKey: cookieKey, secure: w.config.baseUrl.startsWith('https:'), codes: resumeCodes, clock: w.clock });
  return { identity, resumeCodes };
}

/** Bot state in SQLite (moving an old lowdb file in first). */
function openBotState(w: Wiring): SqliteStorage {
  const storage = new SqliteStorage(w.paths.botState);
  const migrated = storage.migrateFromLowdb(w.paths.legacyBotState);
  if (migrated > 0) w.log(`Bot state: ${migrated} entries moved from bot-state.json into bot-state.sqlite (the old file is kept as bot-state.json.migrated).`);
  return storage;
}

/** The LMS plugin (cmi5, SCORM 1.2): its sessions learn lesson progress from the lesson dialog. */
function startLms(w: Wiring, catalog: Catalog, identity: Identity): Lms {
  const { config, clock, ids } = w;
  return createLms({
    catalog,
    xapiIdBase: config.xapiIdBase,
    secret: dataKey(w.paths.lmsSecret),
    clock,
    ids,
    log: w.log,
    config: config.lms,
    outboxFile: w.paths.lmsOutbox,
    retry: retryPolicy(config),
    launchToken: (learner, session) => identity.identity.launchToken(learner, session),
  });
}

interface BotParts {
  readonly adapter: CloudAdapter;
  readonly storage: SqliteStorage;
  readonly catalog: Catalog;
  readonly records: Records;
  readonly qa: Qa;
  readonly identity: Identity;
  readonly lms: Lms;
}

function createBot(w: Wiring, p: BotParts): AcademyBot {
  const { config, clock, ids } = w;
  const proactive: ProactivePort = {
    send: (reference, activity) => p.adapter.continueConversationAsync(config.bot.appId, reference, async (ctx) => void (await ctx.sendActivity(activity))),
  };
  const { resumeCodes } = p.identity;
  return new AcademyBot({
    conversationState: new ConversationState(p.storage),
    userState: new UserState(p.storage),
    greetingStorage: p.storage,
    catalog: p.catalog,
    glossary: loadGlossary(config.contentDir),
    skills: loadSelfCheck(config.contentDir),
    records: p.records.learnerRecords,
    privacyUrl: `${config.baseUrl}/privacy`,
    qa: p.qa.engine,
    qaStore: p.qa.store,
    champions: p.qa.champions,
    resume: { create: (id) => resumeCodes.create(id), revoke: (id) => resumeCodes.revoke(id), url: `${config.baseUrl}/resume` },
    proactive,
    ...(p.qa.answerer ? { generative: groundedRewriter(p.qa.answerer, p.catalog) } : {}),
    recorder: p.records.recorder,
    observer: p.lms.observer,
    statements: new StatementFactory(new XapiIds(config.xapiIdBase)),
    clock,
    ids,
    log: (message, error) => w.log(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error ?? '')}`),
  });
}

/** Builds the server and listens; returns it with its local URL. */
async function listen(w: Wiring, deps: ServerDeps): Promise<{ server: restify.Server; url: string }> {
  const { config } = w;
  const server = buildServer(deps);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  if (!config.bot.appId) {
    w.log(
      config.hostExplicit
        ? `No MicrosoftAppId: /api/messages accepts only the local Direct Line's signed activities${config.security.localServiceUrls.length ? ' and unsigned ones from LOCAL_SERVICE_URLS' : ''}. Listening on ${config.host} (HOST).`
        : `No MicrosoftAppId: listening on ${config.host} only (set HOST to listen elsewhere); /api/messages accepts only the local Direct Line's signed activities.`,
    );
  }
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface RouteParts {
  readonly server: restify.Server;
  readonly url: string;
  readonly gate: GateOptions;
  readonly directLineSecret: Buffer;
  readonly catalog: Catalog;
  readonly records: Records;
  readonly qa: Qa;
  readonly identity: Identity;
  readonly lms: Lms;
}

/**
 * Routes are added right after listen (no await in between, so no request can come first):
 * the local Direct Line forwards web chat to our own /api/messages and needs the real port.
 */
function registerRoutes(w: Wiring, p: RouteParts): ReturnType<typeof registerAdmin> {
  const { config, clock, ids, log } = w;
  const { server, url, records, qa, identity } = p;
  records.lrs.register(server, '/xapi', config.embeddedLrs.maxBodyBytes);
  const directLine = registerDirectLine(server, {
    botEndpoint: `${url}/api/messages`,
    selfBaseUrl: url,
    tokenSecret: p.directLineSecret,
    clock,
    ids,
    ...(config.directLine.secret ? { azure: { secret: config.directLine.secret, endpoint: config.directLine.endpoint } } : {}),
    log,
    identity: identity.identity,
    rateLimits: { perIp: config.security.tokensPerIpPerMinute, perLearner: config.security.tokensPerLearnerPerMinute, trustProxy: config.security.trustProxy },
  });
  p.gate.localServiceUrl = directLine.serviceUrl;
  registerResumeRoutes(server, { identity: identity.identity, limiter: new RateLimiter(config.security.resumeAttemptsPerIpPerMinute, 60_000, clock), trustProxy: config.security.trustProxy, log });
  // The admin review at /admin, and the learners' /privacy page (so the web page's placeholder is off).
  const { lrs, source } = records;
  const admin = registerAdmin(server, { config, store: lrs.store, authority: lrs.authority, clock, ids, log, curation: curationSource(qa.store, qa.engine), champions: championSource(qa.store, qa.champions), content: contentSource(p.catalog, qa.store), ...(source ? { source } : {}) });
  registerWebChatPage(server, { connectSrc: directLine.browserOrigins, lessonFrameAncestors: config.lms.frameAncestors, privacyPage: false });
  p.lms.register(server);
  return admin;
}

interface Closable {
  readonly server: restify.Server;
  readonly records: Records;
  readonly lms: Lms;
  readonly stores: readonly { close(): void }[];
  readonly stop: () => void;
}

/**
 * Stop taking work, let the turns in flight finish (at most graceMs), deliver what the outbox
 * holds while there is time (it stays on disk either way), then close the stores.
 */
function closer(c: Closable): (graceMs?: number) => Promise<void> {
  return async (graceMs = 8000) => {
    c.stop();
    const closed = new Promise<void>((resolve) => c.server.close(() => resolve()));
    c.server.server.closeIdleConnections();
    const deadline = Date.now() + graceMs;
    const timer = setTimeout(() => c.server.server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
    const { outbox } = c.records;
    await outbox.flush(Math.max(0, Math.min(2000, deadline - Date.now())));
    await outbox.close();
    await c.lms.close();
    for (const store of c.stores) store.close();
    c.records.lrs.close();
  };
}

/** The composition root: every long-lived object is made here (through the steps above) and wired. */
export async function startAcademy(config: Config, options: StartOptions = {}): Promise<Academy> {
  const w: Wiring = { config, clock: options.clock ?? systemClock, ids: options.ids ?? randomIds, log: options.log ?? ((line: string) => console.log(line)), paths: dataPaths(config) };
  prepareDataDir(w);
  // Content: validated at start, so a broken file stops the start with its name and field.
  const catalog = new Catalog(new ContentLoader(config.contentDir).load(), TOPICS.map((t) => t.code));
  const records = startRecords(w);
  const adapter = createAdapter(config);
  const qa = startQa(w, catalog);
  const identity = startIdentity(w);
  const storage = openBotState(w);
  const lms = startLms(w, catalog, identity);
  const bot = createBot(w, { adapter, storage, catalog, records, qa, identity, lms });

  const directLineSecret = dataKey(w.paths.directLineSecret);
  const gate: GateOptions = { authenticated: Boolean(config.bot.appId), forwardKey: forwardKey(directLineSecret), extraServiceUrls: config.security.localServiceUrls };
  let stopping = false;
  const { server, url } = await listen(w, {
    adapter,
    bot,
    gate,
    health: () => ({ lessons: catalog.lessons.length, lrs: config.lrs.endpoint ? 'external' : 'embedded', outboxQueued: records.outbox.port.queued() }),
    logError: (message, error) => w.log(`${message} ${error instanceof Error ? error.message : String(error)}`),
    ready: () => !stopping,
  });
  const admin = registerRoutes(w, { server, url, gate, directLineSecret, catalog, records, qa, identity, lms });
  return {
    server,
    url,
    lrsCredentials: { key: records.credentials.key, secret: records.credentials.secret },
    outbox: records.outbox,
    close: closer({ server, records, lms, stores: [admin, qa.store, storage, identity.resumeCodes], stop: () => (stopping = true) }),
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
