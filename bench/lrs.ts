/**
 * The LRS and outbox benchmark (`npm run bench:lrs`; `-- --statements 100000` for a quick run).
 *
 *   1. batched writes into the embedded LRS (store.insert, batches of 50 as the outbox sends)
 *   2. seeds the store to N statements (default 1,000,000) in batches of 1,000
 *   3. GET /xapi/statements p50/p95 over HTTP at N, for the filtered queries a report or an
 *      LMS makes (agent, verb, activity, registration, agent+verb, since)
 *   4. outbox enqueue latency (validate + SQLite insert, one turn's statement per call): p50/p99
 *   5. drain: outbox → embedded LRS over HTTP (Basic auth, batches of 50), statements/s
 *   6. peak RSS of this process
 *
 * Statements are the bot's own (StatementFactory over the shipped lessons): lesson attempts of
 * 5,000 pseudonymous learners — started, cards viewed, questions answered, completed, scored.
 * Everything runs in one process on loopback, in a temp folder that is removed at the end.
 * Run on an otherwise idle machine: latency percentiles include the scheduler's pauses.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { randomIds, systemClock } from '../src/ports.js';
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
const registrations: string[] = [];

/** Statements of lesson attempts, in time order, `count` of them from `startMs`. */
function* attempts(startMs: number): Generator<Statement> {
  let t = startMs;
  let n = 0;
  for (;;) {
    const learner = learners[(n * 7919) % LEARNERS];
    const lesson: Lesson = lessons[(n * 31) % lessons.length];
    const attempt = { lesson, registration: randomUUID() };
    if (registrations.length < 10_000) registrations.push(attempt.registration);
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
const memory = (phase: string) => {
  sampleRss();
  collect();
  const m = process.memoryUsage();
  console.log(`  [memory after ${phase}: RSS ${mb(m.rss)}, JS heap ${mb(m.heapUsed)}, peak RSS so far ${mb(peakRss)}]`);
};

/** Enqueue latency: one statement per call, as the recorder does for most steps. */
function enqueueLatency(outbox: Outbox, statements: Statement[]): number[] {
  const times: number[] = [];
  for (const s of statements) {
    const t = performance.now();
    outbox.enqueue([s]);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
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
const rssTimer = setInterval(sampleRss, 100);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-lrs-'));
  const results: [string, string, string][] = [];
  const served = await servedLrs(join(dir, 'lrs.sqlite'));
  const { lrs, base } = served;
  const auth = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
  const source = attempts(Date.parse('2025-01-06T08:00:00Z'));
  try {
    // 1. outbox: enqueue latency and drain rate into a fresh embedded LRS over HTTP
    const fresh = await servedLrs(join(dir, 'fresh-lrs.sqlite'));
    const outbox = new Outbox({ file: join(dir, 'outbox.sqlite'), clock: systemClock, ids: randomIds });
    const enqueueTimes = enqueueLatency(outbox, take(source, ENQUEUE_SAMPLE));
    outbox.enqueue(take(source, DRAIN_SAMPLE - ENQUEUE_SAMPLE));
    const drainFresh = await drain(outbox, fresh.base);
    await fresh.close();
    results.push(['outbox enqueue (validate + SQLite insert, 1 statement per call)', `p99 ${fmt(percentile(enqueueTimes, 99), 3)} ms (p50 ${fmt(percentile(enqueueTimes, 50), 3)} ms)`, 'p99 < 1 ms']);
    results.push([`drain: outbox → a new embedded LRS over HTTP (batches of 50)`, `${fmt(drainFresh)} statements/s (${fmt(DRAIN_SAMPLE)})`, '≥ 2,000/s']);
    console.log(`outbox: enqueue p99 ${fmt(percentile(enqueueTimes, 99), 3)} ms; drain into a new LRS ${fmt(drainFresh)}/s`);
    memory('outbox phase');

    // 2. batched writes, batches of 50 (what the outbox sends)
    let start = performance.now();
    let writeRate = 0;
    {
      const sample = take(source, WRITE_SAMPLE);
      start = performance.now();
      for (let i = 0; i < sample.length; i += 50) lrs.store.insert(sample.slice(i, i + 50), lrs.authority);
      writeRate = sample.length / ((performance.now() - start) / 1000);
    }
    results.push([`batched writes into the embedded LRS (store.insert, batches of 50, first ${fmt(WRITE_SAMPLE)})`, `${fmt(writeRate)} statements/s`, '≥ 5,000/s']);
    console.log(`writes: ${fmt(writeRate)} statements/s over ${fmt(WRITE_SAMPLE)}`);
    memory('batched writes');

    // 3. seed to TOTAL, batches of 1,000
    start = performance.now();
    let seeded = lrs.store.count();
    const seededBefore = seeded;
    let lastReport = performance.now();
    while (seeded < TOTAL) {
      const batch = take(source, Math.min(1000, TOTAL - seeded));
      lrs.store.insert(batch, lrs.authority);
      seeded += batch.length;
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        console.log(`  seeded ${fmt(seeded)} (${fmt((seeded - seededBefore) / ((performance.now() - start) / 1000))}/s)`);
        sampleRss();
      }
    }
    const seedRate = (seeded - seededBefore) / ((performance.now() - start) / 1000);
    results.push([`seeding to ${fmt(TOTAL)} (store.insert, batches of 1,000)`, `${fmt(seedRate)} statements/s`, '']);
    console.log(`seeded ${fmt(lrs.store.count())} statements (${fmt(seedRate)}/s, batches of 1,000)`);
    memory('seeding');

    // 4. GET latency at TOTAL
    const agentOf = (i: number) => JSON.stringify({ objectType: 'Agent', account: { homePage: ID_BASE, name: learners[(i * 13) % LEARNERS].id } });
    const lessonId = (i: number) => `${ID_BASE}/activities/lesson/${lessons[i % lessons.length].id}`;
    const recent = new Date(Date.parse('2025-01-06T08:00:00Z') + TOTAL * 1500 * 0.9).toISOString();
    const kinds: [string, (i: number) => string][] = [
      ['agent', (i) => `agent=${encodeURIComponent(agentOf(i))}`],
      ['verb', (i) => `verb=${encodeURIComponent([VERBS.completed.id, VERBS.passed.id, VERBS.failed.id][i % 3])}`],
      ['activity', (i) => `activity=${encodeURIComponent(lessonId(i))}`],
      ['activity+related', (i) => `activity=${encodeURIComponent(lessonId(i))}&related_activities=true`],
      ['registration', (i) => `registration=${registrations[(i * 17) % registrations.length]}`],
      ['agent+verb', (i) => `agent=${encodeURIComponent(agentOf(i))}&verb=${encodeURIComponent(VERBS.completed.id)}`],
      ['since (stored)', () => `since=${encodeURIComponent(recent)}&limit=100`],
      ['agent, ascending', (i) => `agent=${encodeURIComponent(agentOf(i))}&ascending=true`],
    ];
    const all: number[] = [];
    const perKind: { name: string; p50: number; p95: number }[] = [];
    for (const [name, query] of kinds) {
      const times: number[] = [];
      for (let i = 0; i < QUERIES_PER_KIND; i++) {
        const t = performance.now();
        const res = await fetch(`${base}/statements?${query(i)}`, { headers: { Authorization: auth, 'X-Experience-API-Version': '1.0.3' } });
        const body = (await res.json()) as { statements?: unknown[] };
        times.push(performance.now() - t);
        if (res.status !== 200 || !Array.isArray(body.statements)) throw new Error(`GET ${name}: HTTP ${res.status}`);
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      perKind.push({ name, p50: percentile(times, 50), p95: percentile(times, 95) });
      console.log(`  GET ${name}: p50 ${fmt(percentile(times, 50), 1)} ms, p95 ${fmt(percentile(times, 95), 1)} ms`);
    }
    all.sort((a, b) => a - b);
    const worst = perKind.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    results.push([
      `GET /xapi/statements at ${fmt(lrs.store.count())} statements (${kinds.length} filter kinds × ${QUERIES_PER_KIND}, pages of up to 100)`,
      `p95 ${fmt(percentile(all, 95), 1)} ms (p50 ${fmt(percentile(all, 50), 1)}; worst kind ${worst.name} p95 ${fmt(worst.p95, 1)})`,
      'p95 < 50 ms',
    ]);
    memory('queries');

    // 5. the outbox again, with the big store: enqueue latency, and drain into it over HTTP
    const enqueueAfter = enqueueLatency(outbox, take(source, ENQUEUE_SAMPLE));
    outbox.enqueue(take(source, DRAIN_SAMPLE - ENQUEUE_SAMPLE));
    const drainBig = await drain(outbox, base);
    outbox.close();
    results.push([`outbox enqueue, again after seeding (disk busy writing the store back)`, `p99 ${fmt(percentile(enqueueAfter, 99), 3)} ms (p50 ${fmt(percentile(enqueueAfter, 50), 3)} ms)`, 'p99 < 1 ms']);
    results.push([`drain: outbox → the embedded LRS at ${fmt(TOTAL)} over HTTP (batches of 50)`, `${fmt(drainBig)} statements/s (${fmt(DRAIN_SAMPLE)})`, '≥ 2,000/s']);
    memory('drain into the big store');

    results.push(['peak RSS of the benchmark process (LRS, outbox, HTTP client and load generator)', mb(peakRss), '< 500 MB']);
    console.log('');
    console.log(`LRS benchmark — ${fmt(lrs.store.count())} statements in the store; Node ${process.version}, ${process.platform}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    for (const [what, value, target] of results) console.log(`  ${what.padEnd(100)} ${value.padEnd(56)} ${target}`);
  } finally {
    clearInterval(rssTimer);
    await served.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
