import { expect } from 'chai';
import { backoffDelay, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/outbox/backoff.js';

describe('outbox backoff', () => {
  const policy = { baseMs: 100, maxMs: 1000 };

  it('doubles the wait with each failure in a row, up to the maximum', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 20].map((n) => backoffDelay(n, policy, () => 0.999999));
    expect(ceilings).to.deep.equal([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('adds jitter: between half and all of the ceiling, never zero', () => {
    expect(backoffDelay(3, policy, () => 0)).to.equal(200);
    expect(backoffDelay(3, policy, () => 0.5)).to.equal(300);
    for (let i = 0; i < 200; i++) expect(backoffDelay(4, policy)).to.be.within(400, 800);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(parseRetryAfter('7', now)).to.equal(7000);
    expect(parseRetryAfter('0', now)).to.equal(0);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).to.equal(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now), 'a date in the past').to.equal(0);
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
    expect(parseRetryAfter('999999999', now), 'capped').to.equal(MAX_RETRY_AFTER_MS);
  });
});
