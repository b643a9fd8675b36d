/**
 * The LRS and outbox benchmark (`npm run bench:lrs`; `-- --statements 100000` for a quick run).
 *
 *   1. outbox enqueue latency (validate + SQLite insert, one turn's statement per call): p50/p99,
 *      and drain: outbox → a new embedded LRS over HTTP (Basic auth, batches of 50), statements/s
 *   2. batched writes, the headline: POST /xapi/statements over loopback HTTP (Basic auth, JSON
 *      arrays of 50) from 4 concurrent clients in a worker thread (the load generator and HTTP
 *      client on their own thread, as a separate client process would be); and the same
 *      batches through store.insert in process, for comparison
 *   3. seeds the store to N statements (default 1,000,000), 5,000 per transaction
 *   4. GET /xapi/statements p50/p95 over HTTP at N, for the filtered queries a report or an
 *      LMS makes (agent, verb, activity, registration, agent+verb, since, since+until paging)
 *   5. the outbox again, enqueue latency and drain, into the store at N
 *   6. peak RSS of this process (worker thread included)
 *
 * Statements are the bot's own (StatementFactory over the shipped lessons): lesson attempts of
 * 5,000 pseudonymous learners — started, cards viewed, questions answered, completed, scored.
 * Everything runs in one process on loopback, in a temp folder that is removed at the end.
 * Statements are made just before they are sent (no phase keeps a sample in memory), so the
 * peak RSS is the LRS's, not the generator's. Run on an otherwise idle machine: latency
 * percentiles include the scheduler's pauses.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Statement } from '@xapi/xapi';
import restify from 'restify';
import { Catalog, ContentLoader } from '../src/lessons/catalog.js';
import { TOPICS } from '../src/lessons/syllabus.js';
import { cardsFor, type Audience, type Lesson } from '../src/lessons/types.js';
import { createEmbeddedLrs } from '../src/lrs/index.js';
import { Outbox } from '../src/outbox/outbox.js';
import { OutboxSender } from '../src/outbox/sender.js';
import { httpTarget } from '../src/outbox/targets.js';
import { projectRoot } from '../src/paths.js';
import { systemClock } from '../src/ports.js';
import { XapiIds, VERBS } from '../src/xapi/profile.js';
import { StatementFactory, type LearnerRef } from '../src/xapi/statements.js';

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} needs a positive whole number`);
  return n;
}

const TOTAL = argValue('--statements', 1_000_000);
const WRITE_SAMPLE = Math.min(50_000, TOTAL);
const POST_CLIENTS = 4;
const POST_BATCH = 50;
const SEED_TRANSACTION = 5_000;
const ENQUEUE_SAMPLE = 10_000;
const DRAIN_SAMPLE = 20_000;
const QUERIES_PER_KIND = 200;
const LEARNERS = 5_000;

const KEY = 'bench-key';
const SECRET = 'bench-secret-000000001';
const ID_BASE = 'https://digital-skills-academy.github.io/xapi';

const lessons = new Catalog(new ContentLoader(join(projectRoot(), 'content')).load(), TOPICS.map((t) => t.code)).lessons;
const factory = new StatementFactory(new XapiIds(ID_BASE));
const learners: LearnerRef[] = Array.from({ length: LEARNERS }, (_, i) => ({
  id: `dl_${i.toString(36).padStart(22, '0')}`,
  channel: i % 3 === 0 ? 'msteams' : 'webchat',
  audience: (i % 2 === 0 ? 'nhs' : 'social-care') as Audience,
}));

/** Statements of lesson attempts, in time order, from `startMs`; attempt numbers from `first`. */
function* attempts(startMs: number, first = 0): Generator<Statement> {
  let t = startMs;
  let n = first;
  for (;;) {
    const learner = learners[(n * 7919) % LEARNERS];
    const lesson: Lesson = lessons[(n * 31) % lessons.length];
    const attempt = { lesson, registration: randomUUID() };
    n += 1;
    const stamp = (s: Statement): Statement => {
      t += 1500;
      return { ...s, id: randomUUID(), timestamp: new Date(t).toISOString() };
    };
    yield stamp(factory.lessonStarted(learner, attempt));
    const cards = cardsFor(lesson, learner.audience);
    for (let c = 0; c < cards.length; c++) yield stamp(factory.cardViewed(learner, attempt, c));
    let right = 0;
    for (let q = 0; q < lesson.checks.length; q++) {
      const correct = lesson.checks[q].options.findIndex((o) => o.correct);
      const option = n % 5 === 0 ? (correct + 1) % lesson.checks[q].options.length : correct;
      if (option === correct) right += 1;
      yield stamp(factory.questionAnswered(learner, attempt, q, option));
    }
    yield stamp(factory.lessonCompleted(learner, attempt, 'PT4M'));
    yield stamp(factory.lessonScored(learner, attempt, right, 'PT4M'));
  }
}

function take(source: Generator<Statement>, n: number): Statement[] {
  const out: Statement[] = [];
  for (let i = 0; i < n; i++) out.push(source.next().value as Statement);
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024)} MB`;
/** With --expose-gc (npm run bench:lrs): collect garbage between phases, so RSS is live memory. */
const collect = () => (globalThis as { gc?: () => void }).gc?.();
/** Resident memory not backed by a file (JS heaps, malloc: SQLite's page caches…), on Linux. */
function anonymousRss(): string {
  try {
    const kb = /^Anonymous:\s+(\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))?.[1];
    return kb === undefined ? '' : `, anonymous ${mb(Number(kb) * 1024)}`;
  } catch {
    return '';
  }
}
const memory = (phase: string) => {
  sampleRss();
  collect();
  const m = process.memoryUsage();
  console.log(`  [memory after ${phase}: RSS ${mb(m.rss)}${anonymousRss()}, JS heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, peak RSS so far ${mb(peakRss)}]`);
};

/** Enqueue latency: one statement per call, as the recorder does for most steps. */
function enqueueLatency(outbox: Outbox, source: Generator<Statement>, count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const s = source.next().value as Statement;
    const t = performance.now();
    outbox.enqueue([s]);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

/** Queues `count` statements (in calls of 50, untimed). */
function enqueueBulk(outbox: Outbox, source: Generator<Statement>, count: number): void {
  for (let done = 0; done < count; done += 50) outbox.enqueue(take(source, Math.min(50, count - done)));
}

/** Drains `outbox` into the LRS at `base` over HTTP; returns statements/s. */
async function drain(outbox: Outbox, base: string): Promise<number> {
  const queued = outbox.queued();
  const sender = new OutboxSender(outbox, httpTarget({ endpoint: base, key: KEY, secret: SECRET, version: '1.0.3', timeoutMs: 30_000, clock: systemClock }), {
    retry: { baseMs: 100, maxMs: 1000 },
    log: (line) => console.log(`  ${line}`),
  });
  const start = performance.now();
  sender.start();
  await sender.drained();
  const rate = queued / ((performance.now() - start) / 1000);
  await sender.stop();
  const status = outbox.status();
  if (status.queued !== 0 || status.failed !== 0) throw new Error(`drain left ${status.queued} queued, ${status.failed} failed`);
  return rate;
}

/** store.insert in batches of `batch` (statements made before each timed call); statements/s. */
function insertRate(lrs: ReturnType<typeof createEmbeddedLrs>, source: Generator<Statement>, count: number, batch: number): number {
  let ms = 0;
  for (let done = 0; done < count; done += batch) {
    const statements = take(source, Math.min(batch, count - done));
    const t = performance.now();
    lrs.store.insert(statements, lrs.authority);
    ms += performance.now() - t;
  }
  return count / (ms / 1000);
}

/** What the POST clients do, in the worker thread. */
interface PostJob {
  base: string;
  auth: string;
  statements: number;
  clients: number;
  batch: number;
  startMs: number;
  firstAttempt: number;
}

/**
 * `clients` concurrent HTTP clients, each POSTing JSON arrays of `batch` statements (made just
 * before each request) until `statements` are stored; returns the wall-clock milliseconds.
 */
async function postClients(job: PostJob): Promise<number> {
  const source = attempts(job.startMs, job.firstAttempt);
  let claimed = 0;
  const client = async () => {
    while (claimed < job.statements) {
      const n = Math.min(job.batch, job.statements - claimed);
      claimed += n;
      const res = await fetch(`${job.base}/statements`, {
        method: 'POST',
        headers: { Authorization: job.auth, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
        body: JSON.stringify(take(source, n)),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`POST statements: HTTP ${res.status} ${text.slice(0, 300)}`);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: job.clients }, client));
  return performance.now() - start;
}

/** Runs postClients in a worker thread (this module again, with tsx); returns statements/s. */
function postRate(job: PostJob): Promise<number> {
  const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: job });
    let ms: number | undefined;
    worker.on('message', (value: number) => (ms = value));
    worker.on('error', reject);
    worker.on('exit', (exitCode) => {
      if (ms === undefined) reject(new Error(`POST worker exited with ${exitCode} before reporting`));
      else resolve(job.statements / (ms / 1000));
    });
  });
}

/** An embedded LRS served over HTTP on loopback, as the academy serves /xapi. */
async function servedLrs(file: string) {
  const lrs = createEmbeddedLrs({ file, credentials: { key: KEY, secret: SECRET }, clock: systemClock });
  const server = restify.createServer({ name: 'bench', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  lrs.register(server, '/xapi');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/xapi`;
  return {
    lrs,
    base,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      lrs.close();
    },
  };
}

/** GET latency of one kind of query: `requests(i)` gives the request(s) of sample i; the last is timed. */
async function getLatency(name: string, paths: (i: number) => Promise<string>, auth: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < QUERIES_PER_KIND; i++) {
    const url = await paths(i);
    const t = performance.now();
    const res = await fetch(url, { headers: { Authorization: auth, 'X-Experience-API-Version': '1.0.3' } });
    const body = (await res.json()) as { statements?: unknown[] };
    times.push(performance.now() - t);
    if (res.status !== 200 || !Array.isArray(body.statements)) throw new Error(`GET ${name}: HTTP ${res.status}`);
  }
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const rssTimer = setInterval(sampleRss, 100);
  const dir = mkdtempSync(join(tmpdir(), 'bench-lrs-'));
  const results: [string, string, string][] = [];
  const served = await servedLrs(join(dir, 'lrs.sqlite'));
  const { lrs, base } = served;
  const auth = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
  const startMs = Date.parse('2025-01-06T08:00:00Z');
  const source = attempts(startMs);
  try {
    // 1. outbox: enqueue latency and drain rate into a fresh embedded LRS over HTTP
    const outbox = new Outbox({ file: join(dir, 'outbox.sqlite'), clock: systemClock });
    {
      const fresh = await servedLrs(join(dir, 'fresh-lrs.sqlite'));
      const enqueueTimes = enqueueLatency(outbox, source, ENQUEUE_SAMPLE);
      enqueueBulk(outbox, source, DRAIN_SAMPLE - ENQUEUE_SAMPLE);
      const drainFresh = await drain(outbox, fresh.base);
      await fresh.close();
      results.push(['outbox enqueue (validate + SQLite insert, 1 statement per call)', `p99 ${fmt(percentile(enqueueTimes, 99), 3)} ms (p50 ${fmt(percentile(enqueueTimes, 50), 3)} ms)`, 'p99 < 1 ms']);
      results.push([`drain: outbox → a new embedded LRS over HTTP (batches of 50)`, `${fmt(drainFresh)} statements/s (${fmt(DRAIN_SAMPLE)})`, '≥ 2,000/s']);
      console.log(`outbox: enqueue p99 ${fmt(percentile(enqueueTimes, 99), 3)} ms; drain into a new LRS ${fmt(drainFresh)}/s`);
    }
    memory('outbox phase');

    // 2. batched writes, 50 per batch (what the outbox sends): over HTTP (the headline), then in process
    // A quarter of the store each at most, so that a small --statements run still seeds.
    const postSample = Math.min(WRITE_SAMPLE, Math.floor(TOTAL / 4));
    const postThroughput = await postRate({ base, auth, statements: postSample, clients: POST_CLIENTS, batch: POST_BATCH, startMs, firstAttempt: 1_000_000 });
    results.push([
      `batched writes, HEADLINE: POST /xapi/statements over HTTP (${POST_CLIENTS} clients, ${POST_BATCH} per request, first ${fmt(postSample)})`,
      `${fmt(postThroughput)} statements/s`,
      '≥ 5,000/s',
    ]);
    console.log(`writes over HTTP: ${fmt(postThroughput)} statements/s (${POST_CLIENTS} clients, ${fmt(postSample)} statements)`);
    memory('batched POST');
    const writeSample = Math.min(WRITE_SAMPLE, Math.floor(TOTAL / 4));
    if (writeSample > 0) {
      const writeRate = insertRate(lrs, source, writeSample, 50);
      results.push([`batched writes in process (store.insert, batches of 50, next ${fmt(writeSample)}; for comparison)`, `${fmt(writeRate)} statements/s`, '']);
      console.log(`writes in process: ${fmt(writeRate)} statements/s over ${fmt(writeSample)}`);
      memory('batched writes in process');
    }

    // 3. seed to TOTAL, SEED_TRANSACTION statements per insert (one transaction each)
    let start = performance.now();
    let seeded = lrs.store.count();
    const seededBefore = seeded;
    let lastReport = performance.now();
    /** Registrations of stored attempts (every 5th attempt, up to 10,000), for the registration queries. */
    const registrations: string[] = [];
    let lastRegistration = '';
    let attemptCount = 0;
    /** [stored ms, statements stored by then]: since/until bounds that fall inside the store. */
    const marks: [number, number][] = [];
    while (seeded < TOTAL) {
      const batch = take(source, Math.min(SEED_TRANSACTION, TOTAL - seeded));
      for (const s of batch) {
        const registration = s.context?.registration;
        if (registration === undefined || registration === lastRegistration) continue;
        lastRegistration = registration;
        attemptCount += 1;
        if (attemptCount % 5 === 0 && registrations.length < 10_000) registrations.push(registration);
      }
      lrs.store.insert(batch, lrs.authority);
      seeded += batch.length;
      marks.push([Date.now(), seeded]);
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        console.log(`  seeded ${fmt(seeded)} (${fmt((seeded - seededBefore) / ((performance.now() - start) / 1000))}/s)`);
        sampleRss();
      }
    }
    const seedRate = (seeded - seededBefore) / ((performance.now() - start) / 1000);
    results.push([`seeding to ${fmt(TOTAL)} (store.insert, ${fmt(SEED_TRANSACTION)} per call, one transaction each)`, `${fmt(seedRate)} statements/s`, '']);
    console.log(`seeded ${fmt(lrs.store.count())} statements (${fmt(seedRate)}/s, ${fmt(SEED_TRANSACTION)} per transaction)`);
    memory('seeding');

    // 4. GET latency at TOTAL
    const agentOf = (i: number) => JSON.stringify({ objectType: 'Agent', account: { homePage: ID_BASE, name: learners[(i * 13) % LEARNERS].id } });
    const lessonId = (i: number) => `${ID_BASE}/activities/lesson/${lessons[i % lessons.length].id}`;
    /** A stored-time mark at `fraction` of the seeding (a since/until bound inside the store). */
    const mark = (fraction: number) => new Date(marks[Math.min(marks.length - 1, Math.floor(fraction * marks.length))]?.[0] ?? Date.now()).toISOString();
    const window = (i: number) => `since=${encodeURIComponent(mark(0.5 + (i % 40) / 100))}&until=${encodeURIComponent(mark(0.6 + (i % 40) / 100))}&limit=100`;
    const statements = `${base}/statements?`;
    const kinds: [string, (i: number) => Promise<string>][] = [
      ['agent', async (i) => `${statements}agent=${encodeURIComponent(agentOf(i))}`],
      ['verb', async (i) => `${statements}verb=${encodeURIComponent([VERBS.completed.id, VERBS.passed.id, VERBS.failed.id][i % 3])}`],
      ['activity', async (i) => `${statements}activity=${encodeURIComponent(lessonId(i))}`],
      ['activity+related', async (i) => `${statements}activity=${encodeURIComponent(lessonId(i))}&related_activities=true`],
      ['registration', async (i) => `${statements}registration=${registrations[(i * 17) % registrations.length]}`],
      ['agent+verb', async (i) => `${statements}agent=${encodeURIComponent(agentOf(i))}&verb=${encodeURIComponent(VERBS.completed.id)}`],
      ['since (stored)', async () => `${statements}since=${encodeURIComponent(mark(0.9))}&limit=100`],
      ['since+until', async (i) => `${statements}${window(i)}`],
      [
        'since+until, next page (more)',
        async (i) => {
          const res = await fetch(`${statements}${window(i)}`, { headers: { Authorization: auth, 'X-Experience-API-Version': '1.0.3' } });
          const { more } = (await res.json()) as { more?: string };
          if (!more) throw new Error('since+until: no more link');
          return new URL(more, base).toString();
        },
      ],
      ['agent, ascending', async (i) => `${statements}agent=${encodeURIComponent(agentOf(i))}&ascending=true`],
    ];
    const all: number[] = [];
    const perKind: { name: string; p50: number; p95: number }[] = [];
    for (const [name, paths] of kinds) {
      const times = await getLatency(name, paths, auth);
      all.push(...times);
      perKind.push({ name, p50: percentile(times, 50), p95: percentile(times, 95) });
      console.log(`  GET ${name}: p50 ${fmt(percentile(times, 50), 1)} ms, p95 ${fmt(percentile(times, 95), 1)} ms`);
    }
    all.sort((a, b) => a - b);
    const worst = perKind.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    results.push([
      `GET /xapi/statements at ${fmt(lrs.store.count())} statements (${kinds.length} filter kinds × ${QUERIES_PER_KIND}, pages of up to 100)`,
      `p95 ${fmt(percentile(all, 95), 1)} ms (p50 ${fmt(percentile(all, 50), 1)}; worst kind ${worst.name} p95 ${fmt(worst.p95, 1)})`,
      'p95 < 50 ms, every kind',
    ]);
    memory('queries');

    // 5. the outbox again, with the big store: enqueue latency, and drain into it over HTTP
    const enqueueAfter = enqueueLatency(outbox, source, ENQUEUE_SAMPLE);
    enqueueBulk(outbox, source, DRAIN_SAMPLE - ENQUEUE_SAMPLE);
    const drainBig = await drain(outbox, base);
    outbox.close();
    results.push([`outbox enqueue, again after seeding (disk busy writing the store back)`, `p99 ${fmt(percentile(enqueueAfter, 99), 3)} ms (p50 ${fmt(percentile(enqueueAfter, 50), 3)} ms)`, 'p99 < 1 ms']);
    results.push([`drain: outbox → the embedded LRS at ${fmt(TOTAL)} over HTTP (batches of 50)`, `${fmt(drainBig)} statements/s (${fmt(DRAIN_SAMPLE)})`, '≥ 2,000/s']);
    memory('drain into the big store');

    results.push(['peak RSS of the benchmark process (LRS, outbox, HTTP clients and load generator)', mb(peakRss), '< 500 MB']);
    console.log('');
    console.log(`LRS benchmark — ${fmt(lrs.store.count())} statements in the store; Node ${process.version}, ${process.platform}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    for (const [what, value, target] of results) console.log(`  ${what.padEnd(110)} ${value.padEnd(56)} ${target}`);
  } finally {
    clearInterval(rssTimer);
    await served.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  postClients(workerData as PostJob).then(
    (ms) => parentPort?.postMessage(ms),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
