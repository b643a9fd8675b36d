/**
 * npm run bench:admin — the admin review at scale: seeds 1,000,000 statements (BENCH_STATEMENTS to
 * change) into an embedded LRS, reads them into the aggregate store, then times the overview page
 * over HTTP (target < 1 s) and pages through the statement explorer with `more`.
 * BENCH_DIR=path keeps the seeded data between runs.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import restify from 'restify';
import { registerAdmin } from '../src/admin/index.js';
import { loadConfig } from '../src/config.js';
import { Catalog, ContentLoader } from '../src/lessons/catalog.js';
import { TOPICS } from '../src/lessons/syllabus.js';
import type { Audience } from '../src/lessons/types.js';
import { createEmbeddedLrs } from '../src/lrs/index.js';
import { projectRoot } from '../src/paths.js';
import { randomIds, systemClock } from '../src/ports.js';
import { XapiIds, type Channel } from '../src/xapi/profile.js';
import { StatementFactory } from '../src/xapi/statements.js';

const TOTAL = Number(process.env.BENCH_STATEMENTS ?? 1_000_000);
const LEARNERS = Math.max(10, Math.round(TOTAL / 50));
const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'admin-bench-'));
mkdirSync(dir, { recursive: true });
const ID_BASE = 'https://digital-skills-academy.github.io/xapi';
const PASSWORD = 'benchmark admin password';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

async function main(): Promise<void> {
  const catalog = new Catalog(new ContentLoader(join(projectRoot(), 'content')).load(), TOPICS.map((t) => t.code));
  const lrs = createEmbeddedLrs({ file: join(dir, 'lrs.sqlite'), credentials: { key: 'bench', secret: 'bench-secret-123' }, clock: systemClock, store: { maxPageSize: 500 } });
  const f = new StatementFactory(new XapiIds(ID_BASE));
  const random = rng(42);
  const have = lrs.store.count();
  console.log(`data: ${dir}; ${have.toLocaleString('en-GB')} statements stored`);
  if (have < TOTAL) {
    const t = performance.now();
    const channels: Channel[] = ['msteams', 'webchat', 'lms'];
    const audiences: Audience[] = ['nhs', 'social-care', 'both'];
    const now = Date.now();
    let batch: object[] = [];
    let n = have;
    const flush = () => {
      lrs.store.insert(batch, lrs.authority);
      batch = [];
    };
    const push = (s: object, at: number) => {
      batch.push({ ...s, id: randomIds.uuid(), timestamp: new Date(at).toISOString() });
      n++;
      if (batch.length === 1000) flush();
      if (n % 100_000 === 0) console.log(`  seeded ${n.toLocaleString('en-GB')} (${ms(t)})`);
    };
    while (n < TOTAL) {
      const l = Math.floor(random() * LEARNERS);
      const who = { id: `dl_bench${l}`, channel: channels[l % 3]!, audience: audiences[Math.floor(l / 3) % 3]! };
      const lesson = catalog.lessons[Math.floor(random() * catalog.lessons.length)]!;
      const attempt = { lesson, registration: randomIds.uuid() };
      let at = now - Math.floor(random() * 60 * 86_400_000);
      push(f.lessonStarted(who, attempt), at);
      const cards = Math.floor(random() * (lesson.cards.length + 1));
      for (let i = 0; i < cards && n < TOTAL; i++) push(f.cardViewed(who, attempt, i), (at += 30_000));
      if (cards < lesson.cards.length) continue;
      const right = lesson.checks.map(() => random() < 0.8);
      lesson.checks.forEach((q, i) => n < TOTAL && push(f.questionAnswered(who, attempt, i, right[i] ? q.options.findIndex((o) => o.correct) : q.options.findIndex((o) => !o.correct)), (at += 20_000)));
      if (n < TOTAL) push(f.lessonCompleted(who, attempt, 'PT3M'), (at += 1000));
      if (n < TOTAL) push(f.lessonScored(who, attempt, right.filter(Boolean).length, 'PT3M'), (at += 1000));
    }
    if (batch.length) flush();
    console.log(`seeded ${TOTAL.toLocaleString('en-GB')} statements from ${LEARNERS.toLocaleString('en-GB')} learners in ${ms(t)}`);
  }

  const server = restify.createServer({ name: 'admin-bench' });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ DATA_DIR: dir, ADMIN_PASSWORD: PASSWORD, ACADEMY_BASE_URL: url, XAPI_ID_BASE: ID_BASE });
  const admin = registerAdmin(server, { config, store: lrs.store, authority: lrs.authority, clock: systemClock, ids: randomIds, log: () => undefined, privacyPage: false });

  let t = performance.now();
  const first = await admin.aggregates.catchUp();
  console.log(`aggregates: read ${first.processed.toLocaleString('en-GB')} new statements in ${ms(t)} (once; later only new statements are read)`);

  // Sign in.
  let cookie = '';
  const get = async (path: string) => {
    const res = await fetch(url + path, { headers: { Cookie: cookie }, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    return res;
  };
  const signInPage = await (await get('/admin/sign-in')).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(signInPage)?.[1] ?? '';
  const signIn = await fetch(`${url}/admin/sign-in`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, username: 'admin', password: PASSWORD }).toString(), redirect: 'manual' });
  cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? cookie;

  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    const res = await get('/admin');
    const html = await res.text();
    if (res.status !== 200 || !html.includes('Headline figures')) throw new Error(`overview answered ${res.status}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`overview page (GET /admin, ${TOTAL.toLocaleString('en-GB')} statements): median ${times[2]!.toFixed(0)} ms, worst ${times[4]!.toFixed(0)} ms (target < 1000 ms)`);

  // 1,000 new statements, then the overview again (it reads them first).
  const extra = Array.from({ length: 1000 }, (_, i) => {
    const lesson = catalog.lessons[i % catalog.lessons.length]!;
    return { ...f.lessonStarted({ id: `dl_new${i}`, channel: 'webchat', audience: 'nhs' }, { lesson, registration: randomIds.uuid() }), id: randomIds.uuid(), timestamp: new Date().toISOString() };
  });
  lrs.store.insert(extra, lrs.authority);
  t = performance.now();
  await (await get('/admin')).text();
  console.log(`overview page after 1,000 new statements (read incrementally): ${ms(t)}`);

  for (const path of ['/admin/topics', `/admin/topics/${catalog.lessons[0]!.id}`]) {
    t = performance.now();
    await (await get(path)).text();
    console.log(`${path}: ${ms(t)}`);
  }

  // The statement explorer: first page, then 20 pages with `more`.
  t = performance.now();
  let html = await (await get('/admin/statements')).text();
  console.log(`statement explorer, first page (50 statements): ${ms(t)}`);
  const pageTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const next = /href="(\/admin\/statements\?more=[^"]+)"/.exec(html)?.[1];
    if (!next) break;
    t = performance.now();
    html = await (await get(next.replace(/&amp;/g, '&'))).text();
    pageTimes.push(performance.now() - t);
  }
  pageTimes.sort((a, b) => a - b);
  console.log(`statement explorer, ${pageTimes.length} more pages: median ${pageTimes[Math.floor(pageTimes.length / 2)]?.toFixed(0)} ms, worst ${pageTimes[pageTimes.length - 1]?.toFixed(0)} ms`);
  t = performance.now();
  await (await get(`/admin/statements?verb=${encodeURIComponent('http://adlnet.gov/expapi/verbs/passed')}&agent=dl_bench7`)).text();
  console.log(`statement explorer, filtered by verb and learner: ${ms(t)}`);

  await new Promise<void>((resolve) => server.close(() => resolve()));
  admin.close();
  lrs.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
