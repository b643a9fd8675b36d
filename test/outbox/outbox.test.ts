import { expect } from 'chai';
import { join } from 'node:path';
import { AcademyError } from '../../src/errors.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { systemClock } from '../../src/ports.js';
import { tempDir } from '../support/bot.js';
import { learnerStatement, tempOutbox } from './helpers.js';

describe('outbox (the queue)', () => {
  it('refuses an invalid statement loudly, naming the field, and queues nothing of that call', () => {
    const outbox = tempOutbox();
    const good = learnerStatement('2026-03-01T10:00:00.000Z');
    const bad = { ...learnerStatement('2026-03-01T10:00:01.000Z'), verb: { id: 'not an iri' } };
    let error: unknown;
    try {
      outbox.enqueue([good, bad]);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(AcademyError);
    expect((error as AcademyError).status).to.equal(400);
    expect((error as AcademyError).field).to.equal('statements[1].verb.id');
    expect((error as AcademyError).message).to.contain('statements[1].verb.id');
    expect(outbox.status().queued).to.equal(0);
  });

  it('send() (the bot\'s LrsPort) rejects a bad statement instead of queueing it', async () => {
    const outbox = tempOutbox();
    const noActor = { ...learnerStatement('2026-03-01T10:00:00.000Z'), actor: undefined };
    let error: unknown;
    await outbox.send([noActor as never]).catch((e: unknown) => (error = e));
    expect((error as AcademyError).field).to.equal('statements[0].actor');
    expect(outbox.queued()).to.equal(0);
  });

  it('refuses a statement the recorder has not stamped (no id or timestamp), and queues an id once', () => {
    const outbox = tempOutbox();
    const s = learnerStatement('2026-03-01T10:00:00.000Z');
    const { id: _id, ...noId } = s;
    const { timestamp: _ts, ...noTimestamp } = s;
    expect(() => outbox.enqueue([noId])).to.throw(AcademyError).with.property('field', 'statements[0].id');
    expect(() => outbox.enqueue([noTimestamp])).to.throw(AcademyError).with.property('field', 'statements[0].timestamp');
    outbox.enqueue([s]);
    outbox.enqueue([s]);
    const batch = outbox.nextBatch(10);
    expect(batch.map((q) => q.id)).to.deep.equal([s.id]);
    expect(batch[0].statement).to.deep.equal(s);
    expect(outbox.queued()).to.equal(1);
  });

  it('gives batches oldest timestamp first, then in enqueue order', () => {
    const outbox = tempOutbox();
    const late = learnerStatement('2026-03-01T10:00:05.000Z');
    const early = learnerStatement('2026-03-01T10:00:01.000Z');
    const tieA = learnerStatement('2026-03-01T10:00:03.000Z');
    const tieB = learnerStatement('2026-03-01T10:00:03.000Z');
    outbox.enqueue([late]);
    outbox.enqueue([tieA, early]);
    outbox.enqueue([tieB]);
    expect(outbox.nextBatch(3).map((q) => q.id)).to.deep.equal([early.id, tieA.id, tieB.id]);
    expect(outbox.nextBatch(50)).to.have.length(4);
  });

  it('keeps queued statements across a restart, and counts delivered and failed ones', () => {
    const file = join(tempDir('outbox-'), 'outbox.sqlite');
    const first = new Outbox({ file, clock: systemClock });
    const [a, b, c] = [1, 2, 3].map((i) => learnerStatement(`2026-03-01T10:00:0${i}.000Z`));
    first.enqueue([a, b, c]);
    const batch = first.nextBatch(3);
    first.markDelivered(batch.slice(0, 1));
    first.markFailed(batch.slice(1, 2), 400, '400: statement.object.id is not a stored statement');
    first.close();

    const again = new Outbox({ file, clock: systemClock });
    const status = again.status();
    expect(status).to.include({ queued: 1, delivered: 1, failed: 1 });
    expect(status.failures[0]).to.include({ id: b.id, verb: b.verb.id, status: 400 });
    expect(status.failures[0].reason).to.contain('not a stored statement');
    expect(again.nextBatch(10).map((q) => q.id)).to.deep.equal([c.id]);

    expect(again.retryFailed()).to.equal(1);
    expect(again.status()).to.include({ queued: 2, failed: 0 });
    expect(again.nextBatch(10).map((q) => q.id)).to.deep.equal([b.id, c.id]);
    again.close();
  });
});
