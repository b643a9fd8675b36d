/**
 * Lower finding (issue 13): "delete my data" also drops the learner's statements still queued or
 * failed in the outbox, so none of them reaches the LRS after the erase.
 */
import { join } from 'node:path';
import { expect } from 'chai';
import { createEmbeddedLrs } from '../../src/lrs/index.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { randomIds, systemClock } from '../../src/ports.js';
import { EmbeddedLearnerRecords } from '../../src/privacy/learnerRecords.js';
import { XapiIds } from '../../src/xapi/profile.js';
import { StatementStamper } from '../../src/xapi/recorder.js';
import { TEST_ID_BASE, tempDir } from '../support/bot.js';

const HOME = new XapiIds(TEST_ID_BASE).accountHomePage;
const stamper = new StatementStamper(systemClock, randomIds);
const statement = (name: string, n: number) =>
  stamper.stamp({
    actor: { objectType: 'Agent', account: { homePage: HOME, name } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object: { objectType: 'Activity', id: `${TEST_ID_BASE}/lesson/step-${n}` },
  });

describe('security: erasure reaches the outbox', () => {
  it('drops the learner\'s queued and failed statements (and only theirs) before voiding', async () => {
    const outbox = new Outbox({ file: join(tempDir('academy-sec-outbox-'), 'outbox.sqlite'), clock: systemClock });
    const lrs = createEmbeddedLrs({ file: ':memory:', credentials: { key: 'k', secret: 's'.repeat(20) }, clock: systemClock });
    const records = new EmbeddedLearnerRecords(lrs.store, HOME, lrs.authority, systemClock, randomIds, outbox);
    outbox.enqueue([statement('dl_erasemeplease01', 1), statement('dl_someoneelse0001', 2)]);
    // One of theirs the LRS refused for good: it sits in the failed list, and `academy outbox retry` would send it again.
    outbox.markFailed(outbox.nextBatch(1), 400, 'refused');
    outbox.enqueue([statement('dl_erasemeplease01', 3)]);
    expect(outbox.status()).to.deep.include({ queued: 2, failed: 1 });

    await records.erase('dl_erasemeplease01');

    const left = outbox.nextBatch(50).map((q) => JSON.stringify(q.statement));
    expect(left).to.have.length(1);
    expect(left[0]).to.contain('dl_someoneelse0001');
    expect(outbox.status()).to.deep.include({ queued: 1, failed: 0 });
    outbox.close();
    lrs.close();
  });
});
