/**
 * Issue 13, findings 3 and 6, through HTTP: LMS launches are signed and allow-listed, and the
 * cmi5 launch cannot make the academy call anything else (SSRF) or tell the caller what it found.
 * Only modules that 53d958e already had are imported, so this file runs against it too.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { loadConfig } from '../../src/config.js';
import { exportCommand } from '../../src/lms/command.js';
import { cmi5Package } from '../../src/lms/packages.js';
import { LmsIds } from '../../src/lms/ids.js';
import { XapiIds } from '../../src/xapi/profile.js';
import type { Academy } from '../../src/main.js';
import { startTestAcademy } from '../support/academy.js';
import { shippedCatalog, tempDir } from '../support/bot.js';
import { TestCmi5Lms } from '../lms/cmi5Lms.js';
import { openLaunch } from '../lms/driver.js';
import { answer, launchUrl, tinyServer, type TinyServer } from './lmsHelpers.js';

const ID_BASE = 'https://academy.test/xapi';
const LMS_ORIGIN = 'https://lms.example.org';
const lesson = shippedCatalog().course('safety')!.lessons[0];
const auId = new LmsIds(new XapiIds(ID_BASE)).au(lesson.id);

describe('security: LMS launches are allow-listed and signed (issue 13, finding 3)', function () {
  this.timeout(60_000);
  let academy: Academy & { dataDir: string };
  let lms: TestCmi5Lms;
  let attackerLms: TestCmi5Lms;

  before(async () => {
    lms = await TestCmi5Lms.start();
    attackerLms = await TestCmi5Lms.start();
    academy = await startTestAcademy({ XAPI_ID_BASE: ID_BASE, LMS_ALLOWED_ORIGINS: LMS_ORIGIN, CMI5_ALLOWED_ENDPOINTS: lms.url });
    for (const l of [lms, attackerLms]) {
      const pkg = cmi5Package({ catalog: shippedCatalog(), ids: new LmsIds(new XapiIds(ID_BASE)), baseUrl: academy.url, area: 'safety' });
      l.importCourse(strFromU8(unzipSync(pkg.bytes)['cmi5.xml']), [auId]);
    }
  });
  after(async () => {
    await academy?.close();
    await lms?.close();
    await attackerLms?.close();
  });

  const startScorm = (body: unknown, origin?: string) =>
    fetch(`${academy.url}/lms/scorm/sessions`, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...(origin ? { Origin: origin } : {}) }, body: JSON.stringify(body) });

  /** The signed launch data of the lesson's SCO, from a real `academy export scorm12` with the academy's DATA_DIR. */
  async function exportedLaunch(): Promise<string> {
    const out = tempDir('scorm-export-');
    const config = loadConfig({ DATA_DIR: academy.dataDir, ACADEMY_BASE_URL: academy.url, XAPI_ID_BASE: ID_BASE });
    expect(await exportCommand(config, 'scorm12', out, 'safety', { out: () => undefined, err: () => undefined })).to.equal(0);
    const zip = readdirSync(out).find((f) => f.endsWith('.zip'))!;
    const html = strFromU8(unzipSync(readFileSync(join(out, zip)))[`sco/${lesson.id}.html`]);
    return /data-launch="([^"]*)"/.exec(html)?.[1] ?? '';
  }

  it('POST /lms/scorm/sessions from a script with a made-up Origin and student id is refused, and reveals no learner id', async () => {
    for (const origin of ['https://attacker.example', undefined, 'null']) {
      const res = await startScorm({ lesson: lesson.id, student: '1001' }, origin);
      const text = await res.text();
      expect(res.status, `${origin}: ${text}`).to.equal(403);
      expect(text).not.to.match(/dl_|learner|session/);
    }
  });

  it('an allowed LMS origin still needs launch data the academy signed: none, forged or for another lesson is refused', async () => {
    const noLaunch = await startScorm({ lesson: lesson.id, student: '1001' }, LMS_ORIGIN);
    expect(noLaunch.status, await noLaunch.text()).to.equal(403);
    const real = await exportedLaunch();
    expect(real).to.match(/^1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const [v, payload] = real.split('.');
    const forged = `${v}.${Buffer.from(JSON.stringify({ l: lesson.id })).toString('base64url')}.${'A'.repeat(43)}`;
    const other = `${v}.${Buffer.from(JSON.stringify({ l: 'safety-other' })).toString('base64url')}.${real.split('.')[2]}`;
    for (const launch of [forged, other, `${v}.${payload}`, 'x'.repeat(5000)]) {
      const res = await startScorm({ lesson: lesson.id, launch, student: '1001' }, LMS_ORIGIN);
      expect(res.status, launch.slice(0, 40)).to.equal(403);
    }
  });

  it('a SCO of an exported package, from an allowed LMS origin, starts its lesson (CORS for that origin only)', async () => {
    const res = await startScorm({ lesson: lesson.id, launch: await exportedLaunch(), student: '1001' }, LMS_ORIGIN);
    expect(res.status).to.equal(201);
    expect(res.headers.get('access-control-allow-origin')).to.equal(LMS_ORIGIN);
    const body = (await res.json()) as { session: string };
    const poll = await fetch(`${academy.url}/lms/sessions/${body.session}`, { headers: { Origin: 'https://attacker.example' } });
    expect(poll.headers.get('access-control-allow-origin')).to.equal(null);
  });

  it('a cmi5 launch from an LMS that is not in CMI5_ALLOWED_ENDPOINTS is refused before any call, and reveals no learner id', async () => {
    const launch = attackerLms.launch(auId, attackerLms.register('1001'));
    const page = await openLaunch(launch.url);
    expect(page.status, page.html).to.equal(403);
    expect(page.html).to.include('This lesson could not start');
    expect(page.html).not.to.match(/dl_|lms-chat/);
    expect(page.launch).to.equal(undefined);
    expect(attackerLms.fetchCalls.get(launch.fetchKey) ?? 0).to.equal(0);
    expect(attackerLms.statements(launch.registration).map((s) => s.verb.id)).to.have.length(1); // only the LMS's own `launched`
  });

  it('a cmi5 launch from an allowed LMS still works', async () => {
    const launch = lms.launch(auId, lms.register('learner-ok'));
    const page = await openLaunch(launch.url);
    expect(page.status, page.html).to.equal(200);
    expect(page.session).to.match(/^[A-Za-z0-9_-]{16,64}$/);
  });
});

describe('security: no SSRF from /lms/cmi5/launch (issue 13, finding 6)', function () {
  this.timeout(60_000);
  let academy: Academy;
  let probe: TinyServer;
  let hostile: TinyServer;

  before(async () => {
    probe = await tinyServer((_req, res) => answer(res, 200, { 'Content-Type': 'application/json' }, '{"auth-token":"probe"}'));
    // An allowed LMS that misbehaves in every way an attacker might arrange.
    hostile = await tinyServer((req, res) => {
      const path = req.url ?? '';
      if (path.startsWith('/fetch/redirect')) answer(res, 302, { Location: `${probe.url}/internal` });
      else if (path.startsWith('/fetch/500')) answer(res, 500, { 'Content-Type': 'text/plain' }, 'secret-banner OpenSSH_9.2 internal');
      else if (path.startsWith('/fetch/error2')) answer(res, 200, { 'Content-Type': 'application/json' }, '{"error-code":"2","error-text":"internal detail 10.0.0.7"}');
      else if (path.startsWith('/fetch/hang')) return; // never answers
      else if (path.startsWith('/fetch/ok')) answer(res, 200, { 'Content-Type': 'application/json' }, '{"auth-token":"dG9rZW4="}');
      else if (path.startsWith('/xapi-redirect/')) answer(res, 302, { Location: `${probe.url}/latest/meta-data/` });
      else answer(res, 404, {}, '');
    });
    academy = await startTestAcademy({ CMI5_ALLOWED_ENDPOINTS: hostile.url, CMI5_REQUEST_TIMEOUT_MS: '1000' });
  });
  after(async () => {
    await academy?.close();
    await hostile?.close();
    await probe?.close();
  });

  const launch = (endpoint: string, fetchUrl: string) => openLaunch(launchUrl(academy.url, lesson.id, endpoint, fetchUrl));
  beforeEach(() => {
    probe.hits.length = 0;
  });

  it('fetch and endpoint URLs on loopback or any host not allowed are never called, and open and closed ports look the same', async () => {
    const open = await launch(`${probe.url}/xapi/`, `${probe.url}/fetch`);
    const closed = await launch('http://127.0.0.1:1/xapi/', 'http://127.0.0.1:1/fetch');
    const metadata = await launch(`${hostile.url}/xapi/`, 'http://169.254.169.254/latest/meta-data/');
    expect(probe.hits).to.deep.equal([]);
    expect(open.status).to.equal(403);
    expect(closed.status).to.equal(open.status);
    expect(closed.html.replace(/127\.0\.0\.1:\d+/g, '')).to.equal(open.html.replace(/127\.0\.0\.1:\d+/g, ''));
    expect(metadata.status).to.equal(403);
  });

  it('an allowed LMS cannot redirect the academy to another host (fetch URL or LRS endpoint)', async () => {
    const viaFetch = await launch(`${hostile.url}/xapi/`, `${hostile.url}/fetch/redirect`);
    const viaEndpoint = await launch(`${hostile.url}/xapi-redirect/`, `${hostile.url}/fetch/ok`);
    expect(probe.hits).to.deep.equal([]);
    for (const page of [viaFetch, viaEndpoint]) {
      expect(page.status).to.equal(502);
      expect(page.html).to.include('The learning platform could not be reached');
    }
  });

  it("the LMS's status codes, error texts and banners are never shown to the caller", async () => {
    for (const path of ['/fetch/500', '/fetch/error2']) {
      const page = await launch(`${hostile.url}/xapi/`, `${hostile.url}${path}`);
      expect(page.html).not.to.match(/500|secret-banner|OpenSSH|internal detail|10\.0\.0\.7|error 2|HTTP/);
      expect(page.status).to.equal(502);
      expect(page.html).to.include('The learning platform could not be reached');
    }
  });

  it('a call the LMS never answers is abandoned after CMI5_REQUEST_TIMEOUT_MS', async () => {
    const started = Date.now();
    const page = await launch(`${hostile.url}/xapi/`, `${hostile.url}/fetch/hang`);
    expect(Date.now() - started).to.be.lessThan(5000);
    expect(page.status).to.equal(502);
    expect(page.html).to.include('The learning platform could not be reached');
  });
});
