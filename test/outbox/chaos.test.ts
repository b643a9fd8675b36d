/**
 * THE CHAOS TEST. The academy runs as a child process with LRS_ENDPOINT pointing, through a
 * fault-injecting proxy (30% of requests: 500, 503 with Retry-After, connections dropped before
 * or after the LRS has stored the batch), at a second academy process acting as the external
 * LRS. 10,000 statements go through the outbox; the sender is SIGKILLed twice (once with a
 * stored batch unacknowledged, once with a request in flight) and restarted. In the end every
 * statement id is in the receiving LRS exactly once, and the outbox is empty with nothing failed.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { StatementStore } from '../../src/lrs/index.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { projectRoot } from '../../src/paths.js';
import { systemClock } from '../../src/ports.js';
import { tempDir } from '../support/bot.js';
import { learnerStatement } from './helpers.js';
import { waitFor } from '../helpers/poll.js';

const TOTAL = 10_000;
const KEY = 'chaos-lrs-key';
const SECRET = 'chaos-lrs-secret-000001';

interface Child {
  readonly process: ChildProcess;
  /** Starts the academy in this (already warm) process; resolves with its port. */
  start(): Promise<number>;
  output(): string;
}

/** A child process with the academy's modules loaded (test/outbox/academyProcess.ts), not yet started. */
function spawnAcademy(env: Record<string, string>): Child & { ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/outbox/academyProcess.ts'], {
    cwd: projectRoot(),
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const seen = (pattern: RegExp, what: string) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const look = () => {
        const m = pattern.exec(output);
        if (m) resolve(m);
      };
      child.stdout?.on('data', look);
      child.once('exit', (code, signal) => reject(new Error(`academy process exited (${code ?? signal}) before ${what}:\n${output}`)));
      look();
    });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const ready = seen(/^READY$/m, 'loading').then(() => undefined);
  ready.catch(() => undefined);
  return {
    process: child,
    ready,
    output: () => output,
    start: async () => {
      await ready;
      child.stdin?.write('start\n');
      return Number((await seen(/^LISTENING (\d+)$/m, 'listening'))[1]);
    },
  };
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Mulberry32: the proxy's faults are random but the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('outbox chaos: 10,000 statements, a faulty network, the sender SIGKILLed twice', function () {
  this.timeout(120_000);
  const children: ChildProcess[] = [];
  let proxy: Server | undefined;
  let outbox: Outbox | undefined;

  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    proxy?.closeAllConnections();
    proxy?.close();
    outbox?.close();
  });

  it('ends with every statement id in the receiving LRS exactly once', async () => {
    const receiverDir = tempDir('chaos-receiver-');
    const senderDir = tempDir('chaos-sender-');
    let receiverPort = 0;
    const began = Date.now();
    const timeline: string[] = [];
    const mark = (what: string) => timeline.push(`${what} ${((Date.now() - began) / 1000).toFixed(1)}s`);

    // --- the fault-injecting proxy --------------------------------------------------------
    const random = seeded(20260301);
    const faults = { ok: 0, error500: 0, busy503: 0, dropBefore: 0, dropAfter: 0, killed: 0 };
    const stored = new Set<string>(); // ids the receiver has acknowledged storing
    const sends = new Map<string, number>(); // id → how many times the sender POSTed it
    let onRequest: ((ids: string[]) => 'kill-before' | 'kill-after' | undefined) | undefined;
    let sender: Child | undefined;
    let requestNo = 0;
    const proxyErrors: string[] = []; // the proxy's own failures (forwarding to the receiver)

    const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
      new Promise((resolve, reject) => {
        const out = request({ host: '127.0.0.1', port: receiverPort, path: req.url, method: req.method, headers: { ...req.headers, host: `127.0.0.1:${receiverPort}` } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        out.on('error', reject);
        out.end(body);
      });

    // (res.writeHead is not chained: restify, loaded by other tests, patches it to return nothing.)
    proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const body = Buffer.concat(chunks);
          const ids = req.method === 'POST' ? (JSON.parse(body.toString('utf8')) as { id: string }[]).map((s) => s.id) : [];
          for (const id of ids) sends.set(id, (sends.get(id) ?? 0) + 1);
          requestNo += 1;
          const kill = onRequest?.(ids);
          if (kill === 'kill-before') {
            faults.killed += 1;
            sender?.process.kill('SIGKILL');
            return;
          }
          const r = random();
          if (requestNo === 2 || (r >= 0.25 && r < 0.3) || kill === 'kill-after') {
            // Forwarded and stored, but the answer never reaches the sender: it must send again.
            const answer = await forward(req, body);
            if (answer.status === 200) for (const id of ids) stored.add(id);
            if (kill === 'kill-after') {
              faults.killed += 1;
              sender?.process.kill('SIGKILL');
            } else faults.dropAfter += 1;
            req.socket.destroy();
            return;
          }
          if (r < 0.1) {
            faults.error500 += 1;
            res.writeHead(500, { 'Content-Type': 'application/json' });
            res.end('{"error":"injected failure"}');
            return;
          }
          if (r < 0.2) {
            faults.busy503 += 1;
            res.writeHead(503, { 'Retry-After': r < 0.11 ? '1' : '0' });
            res.end();
            return;
          }
          if (r < 0.25) {
            faults.dropBefore += 1;
            req.socket.destroy();
            return;
          }
          faults.ok += 1;
          const answer = await forward(req, body);
          if (answer.status === 200) for (const id of ids) stored.add(id);
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        })().catch((e: unknown) => {
          proxyErrors.push(e instanceof Error ? e.message : String(e));
          req.socket.destroy();
        });
      });
    });
    await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
    const proxyPort = (proxy.address() as AddressInfo).port;

    // --- the receiving LRS, the sender academy and its two replacements: loaded in parallel up front
    const receiver = spawnAcademy({ DATA_DIR: receiverDir, EMBEDDED_LRS_KEY: KEY, EMBEDDED_LRS_SECRET: SECRET });
    const senderEnv = {
      DATA_DIR: senderDir,
      LRS_ENDPOINT: `http://127.0.0.1:${proxyPort}/xapi`,
      LRS_KEY: KEY,
      LRS_SECRET: SECRET,
      OUTBOX_RETRY_BASE_MS: '10',
      OUTBOX_RETRY_MAX_MS: '100',
    };
    const senders = [0, 1, 2].map(() => spawnAcademy(senderEnv));
    children.push(receiver.process, ...senders.map((c) => c.process));
    receiverPort = await receiver.start();
    mark('receiver listening');

    // --- 10,000 statements into the sender's outbox, some before it starts, the rest while it runs
    outbox = new Outbox({ file: join(senderDir, 'outbox.sqlite'), clock: systemClock });
    const t0 = Date.parse('2026-03-01T08:00:00.000Z');
    const all = Array.from({ length: TOTAL }, (_, i) => ({ ...learnerStatement(new Date(t0 + i * 10).toISOString()), id: randomUUID() }));
    outbox.enqueue(all.slice(0, 4000));

    const startSender = async () => {
      sender = senders.shift();
      await sender!.start();
    };
    await startSender();
    mark('sender listening');
    for (let i = 4000; i < TOTAL; i += 1000) {
      outbox.enqueue(all.slice(i, i + 1000));
      await new Promise((r) => setTimeout(r, 50));
    }

    // First SIGKILL: the receiver stores a batch, and the sender dies before hearing so.
    let kills = 0;
    onRequest = () => (kills === 0 && stored.size >= 3000 ? ((kills = 1), 'kill-after') : kills === 1 && stored.size >= 6500 ? ((kills = 2), 'kill-before') : undefined);
    const explain = (e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; stored ${stored.size}, faults ${JSON.stringify(faults)}, proxy errors ${JSON.stringify(proxyErrors.slice(0, 5))} (${proxyErrors.length})\n--- sender:\n${sender?.output().slice(-3000)}\n--- receiver:\n${receiver.output().slice(-3000)}`);
    };
    await waitFor('the first kill', () => kills === 1, 60_000).catch(explain);
    await exited(sender!.process);
    mark('killed');
    await startSender();
    mark('restarted');
    // Second SIGKILL: a request in flight, never forwarded.
    await waitFor('the second kill', () => kills === 2, 60_000).catch(explain);
    await exited(sender!.process);
    mark('killed');
    await startSender();
    mark('restarted');

    await waitFor('every statement to be delivered', () => outbox!.status().queued === 0 && stored.size === TOTAL, 60_000).catch(explain);
    mark('all delivered');
    const status = outbox.status();
    expect(status).to.include({ queued: 0, failed: 0, delivered: TOTAL });

    // Stop both academies, then read the receiving LRS's store.
    const last = sender!;
    console.log(`      timeline: ${timeline.join(', ')}`);
    last.process.kill('SIGTERM');
    receiver.process.kill('SIGTERM');
    await Promise.all([exited(last.process), exited(receiver.process)]);
    const store = new StatementStore(join(receiverDir, 'lrs.sqlite'), systemClock);
    try {
      expect(store.count(), 'no statement twice, none missing').to.equal(TOTAL);
      const missing = all.filter((s) => store.get(s.id!) === undefined);
      expect(missing.map((s) => s.id)).to.deep.equal([]);
    } finally {
      store.close();
    }
    const resent = [...sends.values()].filter((n) => n > 1).length;
    expect(faults.killed).to.equal(2);
    expect(resent, 'some statements were sent more than once (at-least-once), yet stored once').to.be.greaterThan(0);
    console.log(`      faults: ${JSON.stringify(faults)}; ${requestNo} requests; ${resent} statements sent more than once`);
  });
});
