import { expect } from 'chai';
import sinon from 'sinon';
import { createEmbeddedLrs, type EmbeddedLrs } from '../../src/lrs/index.js';
import type { Outbox } from '../../src/outbox/outbox.js';
import { OutboxSender } from '../../src/outbox/sender.js';
import { embeddedTarget } from '../../src/outbox/targets.js';
import { systemClock } from '../../src/ports.js';
import { ScriptedTarget, learnerStatement, statementsFrom, tempOutbox, voidingUnknown } from './helpers.js';
import { waitFor } from '../helpers/poll.js';

const RETRY = { baseMs: 100, maxMs: 1000 };

describe('outbox sender', () => {
  let outbox: Outbox;
  let sender: OutboxSender | undefined;
  let clock: sinon.SinonFakeTimers | undefined;
  let lrs: EmbeddedLrs | undefined;

  beforeEach(() => {
    outbox = tempOutbox();
  });
  afterEach(async () => {
    await sender?.stop();
    sender = undefined;
    clock?.restore();
    clock = undefined;
    outbox.close();
    lrs?.close();
    lrs = undefined;
  });

  function embedded(): EmbeddedLrs {
    lrs = createEmbeddedLrs({ file: ':memory:', credentials: { key: 'k', secret: 'secret-secret' }, clock: systemClock, store: { requireVoidTarget: true } }); // refuses voiding an unknown statement: a 400 to test with
    return lrs;
  }

  /** Runs passes by hand until the queue is empty (no timers involved). */
  async function drain(s: OutboxSender): Promise<void> {
    for (let i = 0; i < 100 && outbox.queued() > 0; i++) {
      const result = await s.pass();
      if (result.retry) throw new Error(`unexpected retry: ${result.retry.reason}`);
    }
  }

  it('waits out Retry-After on a 503, then sends the same statements again', async () => {
    clock = sinon.useFakeTimers({ now: Date.parse('2026-03-01T12:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fake = clock;
    const target = new ScriptedTarget((_s, call) => (call === 1 ? { kind: 'retry', status: 503, reason: '503: busy', retryAfterMs: 5000 } : { kind: 'delivered', status: 200 }), () => fake.now);
    const batch = statementsFrom('2026-03-01T10:00:00.000Z', 3);
    outbox.enqueue(batch);
    sender = new OutboxSender(outbox, target, { retry: RETRY });
    sender.start();
    await clock.tickAsync(0);
    expect(target.calls).to.have.length(1);
    await clock.tickAsync(4999);
    expect(target.calls, 'nothing before Retry-After is up').to.have.length(1);
    await clock.tickAsync(1);
    expect(target.calls).to.have.length(2);
    expect(target.calls[1].ids).to.deep.equal(target.calls[0].ids);
    expect(target.calls[1].ids).to.deep.equal(batch.map((s) => s.id));
    expect(outbox.status()).to.include({ queued: 0, delivered: 3 });
  });

  it('backs off exponentially (with jitter) while the LRS keeps failing, up to the maximum', async () => {
    clock = sinon.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fake = clock;
    const target = new ScriptedTarget((_s, call) => (call <= 6 ? { kind: 'retry', status: 500, reason: '500: down' } : { kind: 'delivered', status: 200 }), () => fake.now);
    outbox.enqueue([learnerStatement('2026-03-01T10:00:00.000Z')]);
    sender = new OutboxSender(outbox, target, { retry: RETRY, random: () => 0 });
    sender.start();
    await clock.tickAsync(10_000);
    const gaps = target.calls.slice(1).map((c, i) => c.at - target.calls[i].at);
    // random() = 0 gives half of each ceiling: ceilings 100, 200, 400, 800, 1000, 1000.
    expect(gaps).to.deep.equal([50, 100, 200, 400, 500, 500]);
    expect(outbox.status()).to.include({ queued: 0, delivered: 1 });
  });

  it('counts 409 Conflict as delivered, splitting a batch to find the one already stored', async () => {
    const already = learnerStatement('2026-03-01T10:00:01.000Z');
    const batch = [learnerStatement('2026-03-01T10:00:00.000Z'), already, learnerStatement('2026-03-01T10:00:02.000Z')];
    const target = new ScriptedTarget((statements) =>
      statements.some((s) => s.id === already.id) ? { kind: 'delivered', status: 409, note: 'already stored (409: conflict)' } : { kind: 'delivered', status: 200 },
    );
    outbox.enqueue(batch);
    sender = new OutboxSender(outbox, target, { retry: RETRY });
    await drain(sender);
    expect(outbox.status()).to.include({ queued: 0, delivered: 3, failed: 0 });
    const sentAlone = target.calls.filter((c) => c.ids.length === 1).flatMap((c) => c.ids);
    expect(sentAlone).to.include(already.id);
    expect(target.stored.map((s) => s.id)).to.include.members(batch.map((s) => s.id));
  });

  it('isolates a statement the LRS refuses (400) so the rest of the batch still goes, and keeps its reason', async () => {
    const lrsNow = embedded();
    const good = statementsFrom('2026-03-01T10:00:00.000Z', 9);
    const bad = voidingUnknown('2026-03-01T10:00:04.500Z');
    outbox.enqueue([...good, bad]);
    sender = new OutboxSender(outbox, embeddedTarget(lrsNow), { retry: RETRY });
    await drain(sender);
    expect(lrsNow.store.count()).to.equal(9);
    const status = outbox.status();
    expect(status).to.include({ queued: 0, delivered: 9, failed: 1 });
    expect(status.failures[0]).to.include({ id: bad.id, verb: bad.verb.id, status: 400 });
    expect(status.failures[0].reason).to.contain('cannot be voided');
    const stored = lrsNow.store.query({ ascending: true, limit: 50 }).statements.map((s) => s.id);
    expect(stored, 'in timestamp order').to.deep.equal(good.map((s) => s.id));
  });

  it('moves a batch the LRS forbids (403) to the failed list with the reason', async () => {
    const target = new ScriptedTarget(() => ({ kind: 'rejected', status: 403, reason: '403: this key may only read' }));
    outbox.enqueue(statementsFrom('2026-03-01T10:00:00.000Z', 4));
    sender = new OutboxSender(outbox, target, { retry: RETRY });
    await sender.pass();
    expect(target.calls).to.have.length(1);
    const status = outbox.status();
    expect(status).to.include({ queued: 0, failed: 4 });
    expect(status.failures.map((f) => f.reason)).to.deep.equal(Array(4).fill('403: this key may only read'));
  });

  it('sends oldest first by timestamp, whatever order the statements were queued in', async () => {
    const lrsNow = embedded();
    const all = statementsFrom('2026-03-01T10:00:00.000Z', 12);
    const shuffled = [all[7], all[2], all[11], all[0], all[5], all[9], all[1], all[3], all[10], all[4], all[8], all[6]];
    for (let i = 0; i < shuffled.length; i += 4) outbox.enqueue(shuffled.slice(i, i + 4));
    sender = new OutboxSender(outbox, embeddedTarget(lrsNow), { retry: RETRY, batchSize: 5 });
    sender.start();
    await sender.drained();
    const stored = lrsNow.store.query({ ascending: true, limit: 50 }).statements;
    expect(stored.map((s) => s.id)).to.deep.equal(all.map((s) => s.id));
  });

  it('wakes on enqueue and delivers without being asked', async () => {
    const target = new ScriptedTarget(() => ({ kind: 'delivered', status: 200 }));
    sender = new OutboxSender(outbox, target, { retry: RETRY, idlePollMs: 60_000 });
    sender.start();
    await sender.drained();
    await outbox.send([learnerStatement('2026-03-01T10:00:00.000Z')]);
    await waitFor('the statement to be delivered', () => target.stored.length === 1);
    expect(outbox.status()).to.include({ queued: 0, delivered: 1 });
  });
});
