/**
 * Issue 13, the lower LMS findings, through HTTP: a reloaded cmi5 launch URL, the returnURL,
 * frame-ancestors of lesson mode, and cmi5 statements that must not ride in the learner's turn.
 * Only modules that 53d958e already had are imported.
 */
import { expect } from 'chai';
import { strFromU8, unzipSync } from 'fflate';
import type { Academy } from '../../src/main.js';
import { LmsIds } from '../../src/lms/ids.js';
import { cmi5Package } from '../../src/lms/packages.js';
import { CMI5_VERBS } from '../../src/lms/cmi5/vocabulary.js';
import { XapiIds } from '../../src/xapi/profile.js';
import { startTestAcademy } from '../support/academy.js';
import { shippedCatalog } from '../support/bot.js';
import { TestCmi5Lms, type LmsStatement } from '../lms/cmi5Lms.js';
import { waitFor } from '../helpers/poll.js';
import { LessonChat, openLaunch, waitForSession } from '../lms/driver.js';

const ID_BASE = 'https://academy.test/xapi';
const LMS_ORIGIN = 'https://lms.example.org';
const lesson = shippedCatalog().course('safety')!.lessons[0];
const auId = new LmsIds(new XapiIds(ID_BASE)).au(lesson.id);
const verbsOf = (statements: readonly LmsStatement[]) => statements.map((s) => Object.entries(CMI5_VERBS).find(([, id]) => id === s.verb.id)?.[0] ?? s.verb.id);


describe('security: lower LMS findings (issue 13)', function () {
  this.timeout(90_000);
  let academy: Academy;
  let lms: TestCmi5Lms;

  before(async () => {
    lms = await TestCmi5Lms.start();
    academy = await startTestAcademy({
      XAPI_ID_BASE: ID_BASE,
      CMI5_ALLOWED_ENDPOINTS: lms.url,
      LMS_ALLOWED_ORIGINS: LMS_ORIGIN,
      CMI5_REQUEST_TIMEOUT_MS: '1000',
      OUTBOX_RETRY_BASE_MS: '100',
      OUTBOX_RETRY_MAX_MS: '300',
    });
    const pkg = cmi5Package({ catalog: shippedCatalog(), ids: new LmsIds(new XapiIds(ID_BASE)), baseUrl: academy.url, area: 'safety' });
    lms.importCourse(strFromU8(unzipSync(pkg.bytes)['cmi5.xml']), [auId]);
  });
  afterEach(() => {
    lms.lrsMode = 'up';
  });
  after(async () => {
    await academy?.close();
    await lms?.close();
  });

  it('a reloaded (or shared) cmi5 launch URL gets a clear page, not the session, and the fetch URL is called once', async () => {
    const launch = lms.launch(auId, lms.register('learner-reload'));
    const first = await openLaunch(launch.url);
    expect(first.status).to.equal(200);
    const again = await openLaunch(launch.url);
    expect(again.session, 'the reload reached the session').to.equal(undefined);
    expect(again.html).not.to.include(first.session!).and.not.include(first.launch!);
    expect(again.html).to.include('This lesson link has already been used');
    expect(lms.fetchCalls.get(launch.fetchKey)).to.equal(1);
  });

  it("the LMS's returnURL is followed only to an allowed LMS origin (no open redirect)", async () => {
    const launch = lms.launch(auId, lms.register('learner-return'), { returnURL: 'https://phish.example/login' });
    const page = await openLaunch(launch.url);
    expect(page.status).to.equal(200);
    expect(page.html).not.to.include('phish.example');
    const end = await fetch(`${academy.url}/lms/sessions/${page.session}/terminate`, { method: 'POST' });
    expect(JSON.stringify(await end.json())).not.to.include('phish.example');
    const allowed = lms.launch(auId, lms.register('learner-return-ok'), { returnURL: `${LMS_ORIGIN}/course/view.php?id=3` });
    expect((await openLaunch(allowed.url)).html).to.include(`data-return="${LMS_ORIGIN}/course/view.php?id=3"`);
  });

  it("/?lesson= never widens frame-ancestors to *: only 'self' and the allowed LMS origins", async () => {
    for (const path of [`/?lesson=${lesson.id}`, '/']) {
      const csp = (await fetch(`${academy.url}${path}`)).headers.get('content-security-policy') ?? '';
      const ancestors = /frame-ancestors ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(ancestors.split(' '), path).not.to.include('*');
    }
    const lessonCsp = (await fetch(`${academy.url}/?lesson=${lesson.id}`)).headers.get('content-security-policy') ?? '';
    expect(/frame-ancestors ([^;]*)/.exec(lessonCsp)?.[1]).to.equal(`'self' ${LMS_ORIGIN}`);
  });

  it("cmi5 statements never hold up the learner's turn: an LMS that does not answer, then is down, gets them all later, in order", async () => {
    const launch = lms.launch(auId, lms.register('learner-outbox'));
    const page = await openLaunch(launch.url);
    expect(page.status).to.equal(200);
    lms.lrsMode = 'hang';
    const chat = new LessonChat(academy.url, page.launch!, page.session!);
    await chat.open();
    await chat.takeLesson(lesson, 'wrong');
    const started = Date.now();
    await waitForSession(academy.url, page.session!, (v) => v.status === 'finished', 8000);
    expect(Date.now() - started, 'the lesson end waited for the LMS').to.be.lessThan(4000);
    lms.lrsMode = 'down';
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(verbsOf(lms.statements(launch.registration))).to.deep.equal(['launched', 'initialized']);
    lms.lrsMode = 'up';
    await waitFor('completed and failed delivered', () => verbsOf(lms.statements(launch.registration)), { intervalMs: 50, until: (v) => v.includes('failed') });
    const end = await fetch(`${academy.url}/lms/sessions/${page.session}/terminate`, { method: 'POST' });
    expect(end.status).to.equal(200);
    await waitFor('terminated delivered', () => verbsOf(lms.statements(launch.registration)), { timeoutMs: 5000, intervalMs: 50, until: (v) => v.includes('terminated') });
    expect(verbsOf(lms.statements(launch.registration))).to.deep.equal(['launched', 'initialized', 'completed', 'failed', 'terminated']);
  });
});
