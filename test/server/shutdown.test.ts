import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { VERBS } from '../../src/xapi/profile.js';
import { basicAuth } from '../support/academy.js';
import { tempDir } from '../support/bot.js';

/** The academy as `npm start` runs it (test/outbox/academyProcess.ts: SIGTERM closes it). */
function academyProcess(dataDir: string): { child: ChildProcess; port: Promise<number>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/outbox/academyProcess.ts'], {
    cwd: projectRoot(),
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOCAL_SERVICE_URLS: 'http://127.0.0.1:1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const port = new Promise<number>((resolve, reject) => {
    const look = (d: Buffer) => {
      out += d.toString();
      if (/^READY$/m.test(out) && !out.includes('started')) {
        out += '\nstarted';
        child.stdin?.write('go\n');
      }
      const m = /^LISTENING (\d+)$/m.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', () => reject(new Error(`the academy exited before listening:\n${out}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, exit };
}

function turn(port: number, body: Record<string, unknown> | string): Promise<Response> {
  const value = typeof body === 'string' ? { text: body } : { value: body };
  return fetch(`http://127.0.0.1:${port}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: `a-${Math.random()}`,
      ...value,
      from: { id: 'shutdown-learner', name: '' },
      recipient: { id: 'academy', name: 'Academy' },
      conversation: { id: 'shutdown-conv' },
      channelId: 'webchat',
      serviceUrl: 'http://127.0.0.1:1',
      deliveryMode: 'expectReplies',
    }),
  });
}

describe('graceful shutdown', function () {
  this.timeout(120_000);
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('SIGTERM in the middle of a lesson: the turn in flight is answered, the process ends within 10 s, and no statement is lost', async () => {
    const dataDir = tempDir('academy-shutdown-');
    const first = academyProcess(dataDir);
    children.push(first.child);
    const port = await first.port;
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).to.equal(200);
    expect((await turn(port, { academy: 'role', role: 'nhs' })).status).to.equal(200);
    expect((await turn(port, { academy: 'start', lesson: 'nhs-app-register' })).status).to.equal(200);
    let cardsShown = 1;
    for (let i = 0; i < 2; i++) {
      expect((await turn(port, 'next')).status).to.equal(200);
      cardsShown++;
    }
    // A turn in flight when SIGTERM arrives is still answered.
    const inFlight = turn(port, 'next');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const began = Date.now();
    first.child.kill('SIGTERM');
    const answered = await inFlight.then((r) => r.status, () => 0);
    if (answered === 200) cardsShown++;
    expect(await first.exit).to.equal(0);
    expect(Date.now() - began).to.be.lessThan(10_000);

    // Started again on the same DATA_DIR: every card the learner was shown is in the LRS once.
    const second = academyProcess(dataDir);
    children.push(second.child);
    const port2 = await second.port;
    const { key, secret } = JSON.parse(readFileSync(join(dataDir, 'lrs-credentials.json'), 'utf8')) as { key: string; secret: string };
    let experienced = 0;
    for (let tries = 0; tries < 100; tries++) {
      const res = await fetch(`http://127.0.0.1:${port2}/xapi/statements?verb=${encodeURIComponent(VERBS.experienced.id)}&limit=100`, {
        headers: { Authorization: basicAuth(key, secret), 'X-Experience-API-Version': '1.0.3' },
      });
      experienced = ((await res.json()) as { statements: unknown[] }).statements.length;
      if (experienced >= cardsShown) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(experienced).to.equal(cardsShown);
    second.child.kill('SIGTERM');
    expect(await second.exit).to.equal(0);
  });
});
