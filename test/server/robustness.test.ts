import { expect } from 'chai';
import { request } from 'node:http';
import type { Browser } from 'playwright-core';
import type { Academy } from '../../src/main.js';
import { startTestAcademy } from '../support/academy.js';
import { clickIntoLesson, clickThroughLesson, launchChromium, waitForText } from '../support/browser.js';
import { shippedCatalog } from '../support/bot.js';

/** Starts a GET and destroys it once `abortAfter` bytes of the body have arrived; resolves with the bytes seen. */
function abortedDownload(url: string, abortAfter: number, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    let seen = 0;
    const req = request(url, { headers }, (res) => {
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen >= abortAfter) req.destroy();
      });
      res.on('end', () => resolve(seen));
    });
    req.on('error', () => resolve(seen));
    req.on('close', () => resolve(seen));
    req.end();
  });
}

/** A small seeded generator, so a failure can be reproduced. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const JUNK_BODIES = ['', '{', '{"type":"message"}', 'null', '[]', '\u0000\u0001', '<script>alert(1)</script>', '{"a":'.repeat(200), 'x'.repeat(70_000)];
const JUNK_TYPES = ['application/json', 'text/plain', 'multipart/mixed; boundary=zz', 'application/x-www-form-urlencoded', 'text/html', ''];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'];

function hostile(base: string, path: string, rnd: () => number): Promise<number> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const method = pick(METHODS);
  const body = method === 'GET' || method === 'HEAD' ? '' : pick(JUNK_BODIES);
  const headers: Record<string, string> = {
    'Content-Type': pick(JUNK_TYPES),
    'X-Experience-API-Version': pick(['1.0.3', '2.0.0', 'x', '']),
    Authorization: pick(['', 'Basic Og==', 'Bearer x.y.z', 'Basic ' + Buffer.from('a:b').toString('base64')]),
    'Accept-Encoding': pick(['', 'gzip', 'br', 'identity;q=0']),
    Cookie: pick(['', 'a=b', 'session=' + 'x'.repeat(300)]),
  };
  for (const [k, v] of Object.entries(headers)) if (!v) delete headers[k];
  const query = pick(['', '?limit=-1', '?v=1&lesson=x', '?method=GET', '?statementId=%00', '?more=../../etc']);
  return new Promise((resolve) => {
    const req = request(`${base}${path}${query}`, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    // Now and then, go away before the body is sent in full.
    if (body && rnd() < 0.2) {
      req.write(body.slice(0, Math.ceil(body.length / 2)));
      req.destroy();
      resolve(0);
      return;
    }
    req.end(body);
  });
}

describe('a server that cannot be knocked over', function () {
  this.timeout(180_000);
  let academy: Academy;
  let browser: Browser | undefined;
  const logged: unknown[] = [];

  before(async () => {
    academy = await startTestAcademy();
  });

  after(async () => {
    await browser?.close();
    await academy?.close();
  });

  it('survives a webchat.js download with no Accept-Encoding aborted half way, and slow ones aborted early', async () => {
    const url = `${academy.url}/static/webchat.js`;
    for (let i = 0; i < 5; i++) {
      const seen = await abortedDownload(url, 1_500_000);
      expect(seen).to.be.greaterThan(0);
      await abortedDownload(url, 1, { 'Accept-Encoding': 'gzip' });
      await abortedDownload(`${url}?v=1`, 64 * 1024);
    }
    const full = await fetch(`${academy.url}/healthz`);
    expect(full.status).to.equal(200);
    const whole = await new Promise<number>((resolve) => {
      request(url, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
      }).end();
    });
    expect(whole).to.be.greaterThan(1_000_000);
    void logged;
  });

  it('answers 200 hostile requests with random methods, bodies and headers on every route, and stays up', async () => {
    const paths = [
      '/', '/healthz', '/privacy', '/static/webchat.js', '/static/academy.js', '/api/messages', '/api/directline/token',
      '/v3/directline/conversations', '/v3/directline/conversations/x/activities', '/v3/directline/tokens/refresh',
      '/xapi/statements', '/xapi/about', '/xapi/activities/state', '/xapi/activities/profile', '/xapi/agents', '/xapi/agents/profile',
      '/xapi/activities', '/admin', '/admin/sign-in', '/admin/statements', '/admin/export/statements.csv', '/lms/cmi5/launch',
      '/lms/scorm/sessions', '/lms/session/x', '/nope',
    ];
    const rnd = seeded(20261204);
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push(await hostile(academy.url, paths[i % paths.length], rnd));
    expect(statuses.filter((s) => s >= 500), 'no 5xx from hostile input').to.have.length(0);
    const health = await fetch(`${academy.url}/healthz`);
    expect(health.status).to.equal(200);
  });

  it('still runs a whole lesson in web chat afterwards', async () => {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const lesson = shippedCatalog().course('nhs-app')!.lessons[0];
    await clickIntoLesson(page, academy.url, 'Social care', 'The NHS App', lesson.title);
    await clickThroughLesson(page, lesson, 'social-care');
    await waitForText(page, /You got \d+ of \d+ right\./);
  });
});

describe('guarded handlers', () => {
  it('a handler that fails after its response started is logged and its connection closed; the server goes on', async () => {
    const { default: restify } = await import('restify');
    const { guardHandlers } = await import('../../src/server.js');
    const server = restify.createServer({ handleUncaughtExceptions: false });
    const logged: string[] = [];
    guardHandlers(server, (message) => logged.push(message));
    server.get('/half', async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('half');
      throw new Error('the stream broke');
    });
    server.get('/cb', (_req, res, next) => {
      res.writeHead(200);
      res.write('x');
      next(new Error('late'));
    });
    server.get('/early', async () => {
      throw Object.assign(new Error('teapot'), { statusCode: 418 });
    });
    server.get('/ok', async (_req, res) => {
      res.send(200, { ok: true });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const broken = (path: string) =>
      new Promise<string>((resolve) => {
        const req = request(`${base}${path}`, (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve('end'));
          res.on('error', () => resolve('closed'));
          res.on('aborted', () => resolve('closed'));
        });
        req.on('error', () => resolve('closed'));
        req.end();
      });
    expect(await broken('/half')).to.equal('closed');
    expect(await broken('/cb')).to.equal('closed');
    expect((await fetch(`${base}/early`)).status).to.equal(418);
    expect((await fetch(`${base}/ok`)).status).to.equal(200);
    expect(logged).to.have.length(2);
    server.close();
  });
});
