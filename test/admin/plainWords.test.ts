import { expect } from 'chai';
import { esc } from '../../src/admin/html.js';
import { localTime, topicTitle } from '../../src/admin/pages.js';
import { shippedCatalog } from '../support/bot.js';
import { Browserless, seedStatements, startAdmin, type AdminHarness } from './harness.js';

/** Issue 20, item 7: admin pages a pilot lead understands (HTTP-level page text). */
const PASSWORD = 'correct horse battery staple';

describe('admin pages in plain words (issue 20, item 7)', function () {
  let h: AdminHarness;
  let b: Browserless;

  before(async () => {
    h = await startAdmin({ ADMIN_PASSWORD: PASSWORD });
    // Two learners: fewer than MIN_COHORT (5).
    h.lrs.storeStatements(seedStatements([{ id: 'dl_pilot0', channel: 'webchat', audience: 'nhs', upTo: 'passed' }, { id: 'dl_pilot1', channel: 'webchat', audience: 'nhs', upTo: 'failed' }]));
    b = new Browserless(h.url);
    expect((await b.signIn(PASSWORD)).status).to.equal(303);
  });
  after(async () => h.close());

  it('below MIN_COHORT says why the figures are hidden', async () => {
    const html = await (await b.fetch('/admin')).text();
    expect(html).to.contain('Figures appear when at least 5 learners have taken part (now: fewer than 5).');
  });

  it('names the questions list for what it is and gives a favicon', async () => {
    const html = await (await b.fetch('/admin/questions')).text();
    expect(html).to.contain("Learners&#39; unanswered questions, most asked first").and.not.contain('What champions ask most');
    expect(html).to.contain('rel="icon"');
  });

  it('a journey speaks plain verbs with the option text: "answered \'<option>\' — wrong", "saw", "started"', async () => {
    const html = await (await b.fetch('/admin/learners?id=dl_pilot1')).text();
    const q = shippedCatalog().lessons[0]!.checks[0]!;
    const wrong = q.options.find((o) => !o.correct)!.text;
    expect(html).to.contain(esc(`'${wrong}' — wrong`));
    expect(html).to.contain('>saw<').and.contain('>started<').and.not.contain('>experienced<').and.not.match(/option-\d/);
  });

  it('writes times in plain words in the UK time zone, and topics as lesson titles', () => {
    expect(localTime('2026-12-04T15:02:00Z')).to.equal('4 Dec 2026, 15:02');
    expect(localTime('2026-07-04T15:02:00Z')).to.equal('4 Jul 2026, 16:02');
    const title = topicTitle({ name: () => undefined }, 'data.dspt');
    expect(title).to.not.equal('data.dspt');
    expect(title).to.match(/^[A-Z]/);
  });
});
