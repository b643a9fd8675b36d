import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Academy } from '../../src/main.js';
import { cardsFor } from '../../src/lessons/types.js';
import { LmsIds } from '../../src/lms/ids.js';
import { launchKey } from '../../src/lms/launchToken.js';
import { scorm12Packages } from '../../src/lms/packages.js';
import { dataPaths } from '../../src/paths.js';
import { dataKey } from '../../src/secrets.js';
import { XapiIds } from '../../src/xapi/profile.js';
import { basicAuth, startTestAcademy } from '../support/academy.js';
import { launchChromium, screenshotPath } from '../support/browser.js';
import { shippedCatalog } from '../support/bot.js';
import { waitFor } from '../helpers/poll.js';
import { clickIn, shortLesson, textIn } from './frames.js';
import { TestScormLms, type CmiRecord, type ScoItem } from './scormLms.js';

const ID_BASE = 'https://academy.test/xapi';

function until(what: string, read: () => CmiRecord | undefined, ok: (r: CmiRecord) => boolean): Promise<CmiRecord> {
  return waitFor(what, read, { timeoutMs: 20_000, intervalMs: 100, until: (r) => r !== undefined && ok(r) });
}

describe('SCORM 1.2 in Chromium: the test LMS runs a SCO, the learner stops, comes back and passes', function () {
  this.timeout(120_000);
  let academy: Academy & { dataDir: string };
  let lms: TestScormLms;
  let browser: Browser;
  let page: Page;
  let item: ScoItem;
  const lesson = shortLesson(3);
  const student = 'student-0042';

  before(async () => {
    lms = await TestScormLms.start();
    academy = await startTestAcademy({ XAPI_ID_BASE: ID_BASE, LMS_ALLOWED_ORIGINS: lms.url });
    // Exported by this academy: its launch data is signed with the key in its DATA_DIR.
    const key = launchKey(dataKey(dataPaths(academy).lmsSecret));
    const pkg = scorm12Packages({ catalog: shippedCatalog(), ids: new LmsIds(new XapiIds(ID_BASE)), baseUrl: academy.url, area: lesson.area, launchKey: key })[0];
    lms.importPackage(pkg.bytes);
    item = lms.items.find((i) => i.href === `sco/${lesson.id}.html`)!;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  });
  after(async () => {
    await browser?.close();
    await lms?.close();
    await academy?.close();
  });

  const chat = () => page.frameLocator('#sco').frameLocator('.sco-chat');
  const cards = cardsFor(lesson, 'both');

  it('first launch: two cards, then the learner leaves; the LMS keeps incomplete, the place in suspend_data and a session time', async () => {
    expect(item.masteryScore).to.equal(Math.round(lesson.masteryScore * 100));
    await page.goto(lms.launchUrl(item, student));
    await textIn(chat(), `${lesson.title} · card 1 of ${cards.length}`);
    await clickIn(chat(), 'Next');
    await textIn(chat(), `${lesson.title} · card 2 of ${cards.length}`);
    await clickIn(chat(), 'Next');
    await textIn(chat(), `${lesson.title} · card 3 of ${cards.length}`);
    await until('suspend_data has step 2', () => lms.record(item, student), (r) => JSON.parse(r.cmi['cmi.suspend_data'] || '{}').step === 2);
    await page.goto('about:blank');
    const r = await until('LMSFinish after leaving', () => lms.record(item, student), (x) => x.finished);
    expect(r.cmi['cmi.core.lesson_status']).to.equal('incomplete');
    expect(r.cmi['cmi.core.exit']).to.equal('suspend');
    expect(r.cmi['cmi.core.session_time']).to.match(/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/);
  });

  it('relaunch resumes where the learner stopped; finishing records passed, a score and a session time in the LMS', async () => {
    await page.goto(lms.launchUrl(item, student));
    await textIn(chat(), /Carrying on where you stopped/);
    await textIn(chat(), `${lesson.title} · card 3 of ${cards.length}`);
    for (let i = 2; i < cards.length; i++) {
      await textIn(chat(), `${lesson.title} · card ${i + 1} of ${cards.length}`);
      await clickIn(chat(), 'Next');
    }
    for (const q of lesson.checks) {
      await textIn(chat(), q.question);
      await clickIn(chat(), q.options.find((o) => o.correct)!.text);
      await textIn(chat(), q.options.find((o) => o.correct)!.feedback); // this question's feedback, not an earlier one's
      await clickIn(chat(), 'Next');
    }
    await textIn(chat(), /Lesson complete\. You got \d+ of \d+ right\./);
    const r = await until('LMSFinish after the lesson', () => lms.record(item, student), (x) => x.finished && x.cmi['cmi.core.lesson_status'] === 'passed');
    await page.screenshot({ path: screenshotPath('lms-scorm-finished.png'), fullPage: true });
    expect(r.cmi['cmi.core.score.raw']).to.equal('100');
    expect(r.cmi['cmi.core.score.max']).to.equal('100');
    expect(r.cmi['cmi.core.session_time']).to.match(/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/);
    expect(r.cmi['cmi.core.exit']).to.equal('');

    // The academy's own record: a pseudonymous learner, never the LMS's student id or name.
    const res = await fetch(`${academy.url}/xapi/statements?ascending=true&limit=500`, {
      headers: { Authorization: basicAuth(academy.lrsCredentials.key, academy.lrsCredentials.secret), 'X-Experience-API-Version': '1.0.3' },
    });
    const all = ((await res.json()) as { statements: { actor: { account?: { name: string } }; context?: { extensions?: Record<string, unknown> } }[] }).statements;
    expect(all.length).to.be.greaterThan(cards.length);
    for (const s of all) {
      expect(s.actor.account?.name).to.match(/^dl_/);
      expect(JSON.stringify(s)).not.to.include(student).and.not.include('Jane');
      expect(s.context?.extensions?.[`${ID_BASE}/extensions/channel`]).to.equal('lms');
    }
    expect(new Set(all.map((s) => s.actor.account?.name)).size).to.equal(1);
  });
});
