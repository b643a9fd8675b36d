import { expect } from 'chai';
import { validateXapi } from '../support/xapiValidation.js';
import { strFromU8, unzipSync } from 'fflate';
import type { Academy } from '../../src/main.js';
import { LmsIds } from '../../src/lms/ids.js';
import { cmi5Package } from '../../src/lms/packages.js';
import { CMI5_VERBS } from '../../src/lms/cmi5/vocabulary.js';
import { XapiIds } from '../../src/xapi/profile.js';
import { basicAuth, startTestAcademy } from '../support/academy.js';
import { shippedCatalog } from '../support/bot.js';
import { TestCmi5Lms, type Launch, type LmsStatement } from './cmi5Lms.js';
import { checkCmi5 } from './cmi5Rules.js';
import { cmi5LearnerId, LessonChat, openLaunch, waitForSession } from './driver.js';

const ID_BASE = 'https://academy.test/xapi';

const verbsOf = (statements: readonly LmsStatement[]) => statements.map((s) => Object.entries(CMI5_VERBS).find(([, id]) => id === s.verb.id)?.[0] ?? s.verb.id);

describe('cmi5 AU runtime (test LMS, Direct Line, no browser)', function () {
  this.timeout(60_000);
  let academy: Academy & { dataDir: string };
  let lms: TestCmi5Lms;
  const lesson = shippedCatalog().course('safety')!.lessons[0];
  const auId = new LmsIds(new XapiIds(ID_BASE)).au(lesson.id);

  before(async () => {
    lms = await TestCmi5Lms.start();
    academy = await startTestAcademy({ XAPI_ID_BASE: ID_BASE, CMI5_ALLOWED_ENDPOINTS: lms.url });
    const pkg = cmi5Package({ catalog: shippedCatalog(), ids: new LmsIds(new XapiIds(ID_BASE)), baseUrl: academy.url, area: 'safety' });
    lms.importCourse(strFromU8(unzipSync(pkg.bytes)['cmi5.xml']), [auId]);
  });
  after(async () => {
    await academy?.close();
    await lms?.close();
  });

  async function run(launch: Launch, answers: 'right' | 'wrong') {
    const page = await openLaunch(launch.url);
    expect(page.status, page.html).to.equal(200);
    const chat = new LessonChat(academy.url, page.launch!, page.session!);
    await chat.open();
    await chat.takeLesson(lesson, answers);
    const view = await waitForSession(academy.url, page.session!, (v) => v.status === 'finished');
    const end = await fetch(`${academy.url}/lms/sessions/${page.session}/terminate`, { method: 'POST' });
    expect(await end.json()).to.include({ status: 'terminated' });
    return { page, view };
  }

  const rules = (launch: Launch, mode: string, masteryScore?: number) =>
    checkCmi5({ statements: lms.statements(launch.registration), registration: launch.registration, activityId: launch.au.activityId, publisherId: auId, modes: { [launch.sessionId]: mode }, masteryScore });

  it('a failed check records failed and no passed, with the LMS mastery score; every statement is valid xAPI and follows the cmi5 rules', async () => {
    const who = lms.register('learner-fail');
    const launch = lms.launch(auId, who, { masteryScore: 0.75 });
    const { page, view } = await run(launch, 'wrong');
    const learner = cmi5LearnerId(academy.dataDir, who.actor);
    expect(page.html).not.to.include(learner);
    expect(view.outcome).to.include({ passed: false, correct: 0 });
    const statements = lms.statements(launch.registration);
    expect(verbsOf(statements)).to.deep.equal(['launched', 'initialized', 'completed', 'failed', 'terminated']);
    expect(rules(launch, 'Normal', 0.75)).to.deep.equal([]);
    for (const s of statements) expect(validateXapi(s), s.verb.id).to.deep.equal([]);
    const failed = statements.find((s) => s.verb.id === CMI5_VERBS.failed)!;
    expect(failed.result?.score).to.deep.include({ scaled: 0, raw: 0, min: 0, max: lesson.checks.length });
    // The academy's own LRS has the same lesson, under the pseudonymous learner, channel lms.
    const res = await fetch(`${academy.url}/xapi/statements?ascending=true&limit=500&agent=${encodeURIComponent(JSON.stringify({ account: { homePage: ID_BASE, name: learner } }))}`, {
      headers: { Authorization: basicAuth(academy.lrsCredentials.key, academy.lrsCredentials.secret), 'X-Experience-API-Version': '1.0.3' },
    });
    const own = ((await res.json()) as { statements: LmsStatement[] }).statements;
    expect(own.length).to.be.greaterThan(lesson.checks.length);
    expect(learner).to.match(/^dl_/).and.not.include('learner-fail');
    for (const s of own) {
      expect(s.context?.extensions?.[`${ID_BASE}/extensions/channel`]).to.equal('lms');
      expect(JSON.stringify(s)).not.to.include('learner-fail');
    }
  });

  it('Browse mode records initialized and terminated only, no completed, passed or failed', async () => {
    const launch = lms.launch(auId, lms.register('learner-browse'), { launchMode: 'Browse' });
    await run(launch, 'right');
    expect(verbsOf(lms.statements(launch.registration))).to.deep.equal(['launched', 'initialized', 'terminated']);
    expect(rules(launch, 'Browse')).to.deep.equal([]);
  });

  it('POSTs the fetch URL once per launch (a reload gets a clear page, never the session); a second call\'s error shows a clear page and records nothing', async () => {
    const launch = lms.launch(auId, lms.register('learner-fetch'));
    const first = await openLaunch(launch.url);
    expect(first.session).to.be.a('string');
    const reload = await openLaunch(launch.url);
    expect(reload.status).to.equal(409);
    expect(reload.session).to.equal(undefined);
    expect(reload.html).to.include('This lesson link has already been used').and.not.include(first.session!);
    expect(lms.fetchCalls.get(launch.fetchKey)).to.equal(1);
    expect(verbsOf(lms.statements(launch.registration))).to.deep.equal(['launched', 'initialized']);

    // The fetch URL was already used (e.g. by another window): the LMS answers error-code 1.
    const used = lms.launch(auId, lms.register('learner-used'));
    await fetch(`${lms.url}/fetch/${used.fetchKey}`, { method: 'POST' });
    const page = await openLaunch(used.url);
    expect(lms.fetchCalls.get(used.fetchKey)).to.equal(2);
    expect(page.status).to.equal(502);
    expect(page.html).to.include('This lesson link has already been used').and.include('Go back to your course');
    expect(page.html).not.to.match(/\bat \w+ \(|Error:/);
    expect(verbsOf(lms.statements(used.registration))).to.deep.equal(['launched']);
  });

  it('an invalid launch (missing parameter, bad actor JSON) shows a clear page naming the parameter and records nothing', async () => {
    const launch = lms.launch(auId, lms.register('learner-bad'));
    const without = new URL(launch.url);
    without.searchParams.delete('registration');
    const missing = await openLaunch(without.href);
    expect(missing.status).to.equal(400);
    expect(missing.html).to.include('This lesson could not start').and.include('registration is missing from the launch address');
    const badActor = new URL(launch.url);
    badActor.searchParams.set('actor', '{"objectType":"Agent",');
    const bad = await openLaunch(badActor.href);
    expect(bad.status).to.equal(400);
    expect(bad.html).to.include('actor must be a JSON object');
    const mbox = new URL(launch.url);
    mbox.searchParams.set('actor', JSON.stringify({ objectType: 'Agent', mbox: 'mailto:someone@example.org' }));
    expect((await openLaunch(mbox.href)).html).to.include('actor.account is required');
    expect(lms.fetchCalls.get(launch.fetchKey) ?? 0).to.equal(0);
    expect(verbsOf(lms.statements(launch.registration))).to.deep.equal(['launched']);
  });
});
