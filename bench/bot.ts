/**
 * `npm run bench:bot` — the academy's turns against a bare botbuilder echo bot, with the harness
 * in ../shared/bench-bot (copied to a scratch folder, since shared/ is read-only): autocannon,
 * 50 connections, `expectReplies`, learners cycled over 1,000 ids, interleaved rounds; the ratio
 * of req/s (academy / echo) and the academy's p99 for each turn:
 *   new learner  – "hi" from an id never seen before (BENCH_IDS=0)
 *   menu         – "menu" from a returning learner
 *   next         – "next" from a learner inside a lesson (each of the 1,000 is put in one first)
 *   question     – a typed question answered from the content
 * Then again with 200,000 more learners in the embedded state (`--learners 0` skips that part),
 * and the largest event-loop stall the academy saw in each run (perf_hooks.monitorEventLoopDelay).
 * Run it on an otherwise idle machine: the ratio absorbs steady load, not bursts.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../src/paths.js';
import { SqliteStorage } from '../src/storage/sqliteStorage.js';

interface Turn {
  readonly name: string;
  readonly text?: string;
  readonly value?: Record<string, unknown>;
  readonly newLearners?: boolean;
}

const TURNS: readonly Turn[] = [
  { name: 'new learner', text: 'hi', newLearners: true },
  { name: 'menu', text: 'menu' },
  { name: 'next', text: 'next' },
  { name: 'question', text: 'how do i order a repeat prescription in the nhs app' },
];
const IDS = 1000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function activity(turn: Turn, fromId = 'bench-user', convId = 'bench-conv'): Record<string, unknown> {
  return {
    type: 'message',
    id: 'bench-activity',
    ...(turn.text !== undefined ? { text: turn.text } : {}),
    ...(turn.value ? { value: turn.value } : {}),
    textFormat: 'plain',
    locale: 'en-GB',
    from: { id: fromId, name: 'Bench User', role: 'user' },
    recipient: { id: 'bench-bot', name: 'Bot', role: 'bot' },
    conversation: { id: convId },
    channelId: 'webchat',
    serviceUrl: 'http://127.0.0.1:1',
    deliveryMode: 'expectReplies',
  };
}

class AcademyUnderTest {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiters: ((line: string) => void)[] = [];
  constructor(dataDir: string) {
    this.child = spawn(process.execPath, [join(projectRoot(), 'dist', 'bench', 'academy-process.js')], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', MicrosoftAppId: '', LOCAL_SERVICE_URLS: 'http://127.0.0.1:1' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const w = this.waiters.shift();
      if (w) w(line);
      else this.lines.push(line);
    });
  }
  private nextLine(prefix: string): Promise<string> {
    const found = this.lines.findIndex((l) => l.startsWith(prefix));
    if (found >= 0) return Promise.resolve(this.lines.splice(found, 1)[0]!);
    return new Promise((resolve) => {
      const wait = (line: string): void => (line.startsWith(prefix) ? resolve(line) : void this.waiters.unshift(wait));
      this.waiters.push(wait);
    });
  }
  async port(): Promise<number> {
    return Number((await this.nextLine('LISTENING ')).split(' ')[1]);
  }
  async stall(): Promise<{ max: number; p99: number }> {
    this.child.stdin!.write('report\n');
    const [, max, p99] = (await this.nextLine('ELD ')).split(' ');
    return { max: Number(max), p99: Number(p99) };
  }
  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

async function post(url: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${res.status} from ${url}`);
  await res.text();
}

/** Each of the 1,000 bench learners picks a role and starts a lesson, so "next" is a lesson turn. */
async function putLearnersInALesson(url: string): Promise<void> {
  for (let n = 0; n < IDS; n++) {
    const from = `bench-user-${n}`;
    const conv = `bench-conv-${n}`;
    await post(url, activity({ name: 'role', value: { academy: 'role', role: 'nhs' } }, from, conv));
    await post(url, activity({ name: 'start', value: { academy: 'start', lesson: 'nhs-app.register' } }, from, conv));
  }
}

async function seedLearners(dataDir: string, count: number): Promise<void> {
  const storage = new SqliteStorage(join(dataDir, 'bot-state.sqlite'));
  let batch: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < count; i++) {
    batch[`webchat/users/seed-${i}/`] = { profile: { role: i % 3 === 0 ? 'nhs' : 'social-care', passed: ['nhs-app.register'], place: { 'nhs-app.gp-appointments': 2 } } };
    batch[`webchat/conversations/seed-conv-${i}/`] = { dialogState: { dialogStack: [] }, flags: { greeted: true, confirmErase: false } };
    if (i % 5000 === 4999) {
      await storage.write(batch);
      batch = {};
    }
  }
  await storage.write(batch);
  storage.close();
}

function harness(url: string, turn: Turn, scratch: string): string {
  const file = join(scratch, `${turn.name.replace(/\W+/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(activity(turn)));
  const out = execFileSync(join(scratch, 'bench-bot', 'run.sh'), [url, file], {
    env: { ...process.env, BENCH_IDS: turn.newLearners ? '0' : String(IDS) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  return out.trim().split('\n').at(-1) ?? '';
}

async function runAll(label: string, seed: number, scratch: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-bot-data-'));
  if (seed > 0) await seedLearners(dataDir, seed);
  const academy = new AcademyUnderTest(dataDir);
  const url = `http://127.0.0.1:${await academy.port()}/api/messages`;
  console.log(`\n## ${label}`);
  try {
    for (const turn of TURNS) {
      if (turn.name === 'next') await putLearnersInALesson(url);
      await academy.stall();
      const line = harness(url, turn, scratch);
      const stall = await academy.stall();
      console.log(`${turn.name.padEnd(12)} ${line}  | event-loop stall max ${stall.max} ms, p99 ${stall.p99} ms`);
    }
  } finally {
    await academy.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'bench-bot-'));
cpSync(join(projectRoot(), '..', 'shared', 'bench-bot'), join(scratch, 'bench-bot'), { recursive: true });
execFileSync('chmod', ['-R', 'u+w', scratch]);
const learners = Number(arg('learners', '200000'));
try {
  await runAll(`${IDS} learners`, 0, scratch);
  if (learners > 0) await runAll(`${IDS} learners with ${learners.toLocaleString('en-GB')} more in the embedded state`, learners, scratch);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
