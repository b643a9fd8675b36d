import { expect } from 'chai';
import sinon from 'sinon';
import { systemClock } from '../../src/ports.js';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, TokenService } from '../../src/directline/tokens.js';
import { FixedClock, statusOf } from './helpers.js';

const secret = Buffer.from('0123456789abcdef0123456789abcdef');

function decodePart(token: string, index: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('directline tokens', () => {
  it('issues a token that verifies to its conversation, user and expiry (30 minutes by default)', () => {
    const clock = new FixedClock();
    const tokens = new TokenService({ secret, clock });
    const issued = tokens.issue('conv-1', 'dl_abcdefgh');
    expect(issued.expiresIn).to.equal(DEFAULT_TOKEN_LIFETIME_SECONDS).and.equal(1800);
    const claims = tokens.verify(issued.token);
    expect(claims).to.deep.equal({ conversationId: 'conv-1', userId: 'dl_abcdefgh', exp: clock.now().getTime() / 1000 + 1800 });
  });

  it('is a compact HS256 JWT whose payload carries the user claim Web Chat reads', () => {
    const tokens = new TokenService({ secret, clock: new FixedClock() });
    const { token } = tokens.issue('conv-1', 'dl_abcdefgh');
    expect(token.split('.')).to.have.length(3);
    expect(decodePart(token, 0)).to.deep.equal({ alg: 'HS256', typ: 'JWT' });
    expect(decodePart(token, 1)).to.include({ conversationId: 'conv-1', userId: 'dl_abcdefgh', user: 'dl_abcdefgh' });
  });

  it('rejects an expired token with 403 (Direct Line’s "expired" status) using a fixed clock', () => {
    const clock = new FixedClock();
    const tokens = new TokenService({ secret, clock, lifetimeSeconds: 60 });
    const { token } = tokens.issue('c', 'dl_abcdefgh');
    clock.advance(59_000);
    expect(tokens.verify(token).conversationId).to.equal('c');
    clock.advance(1_000);
    expect(statusOf(() => tokens.verify(token))).to.equal(403);
  });

  it('expires with sinon fake timers and the system clock', () => {
    const timers = sinon.useFakeTimers({ now: Date.parse('2025-03-01T12:00:00Z') });
    try {
      const tokens = new TokenService({ secret, clock: systemClock });
      const { token } = tokens.issue('c', 'dl_abcdefgh');
      timers.tick(29 * 60 * 1000);
      expect(() => tokens.verify(token)).not.to.throw();
      timers.tick(60 * 1000);
      expect(statusOf(() => tokens.verify(token))).to.equal(403);
    } finally {
      timers.restore();
    }
  });

  it('rejects tampered, truncated, foreign and garbage tokens with 401', () => {
    const clock = new FixedClock();
    const tokens = new TokenService({ secret, clock });
    const { token } = tokens.issue('conv-1', 'dl_abcdefgh');
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...decodePart(token, 1), conversationId: 'conv-2' })).toString('base64url');
    const flipped = s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
    const other = new TokenService({ secret: Buffer.from('another secret, 32 bytes long!!!'), clock }).issue('conv-1', 'dl_abcdefgh').token;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${p}.`;
    for (const bad of [`${h}.${forged}.${s}`, `${h}.${p}.${flipped}`, `${h}.${p}`, other, none, '', 'x.y.z', 'not a token', `${token}x`]) {
      expect(statusOf(() => tokens.verify(bad)), bad).to.equal(401);
    }
  });

  it('refreshes a valid token into a later one for the same conversation, but not an expired one', () => {
    const clock = new FixedClock();
    const tokens = new TokenService({ secret, clock });
    const first = tokens.issue('conv-1', 'dl_abcdefgh');
    clock.advance(20 * 60 * 1000);
    const second = tokens.refresh(first.token);
    expect(second.token).not.to.equal(first.token);
    expect(second.claims.exp - first.claims.exp).to.equal(20 * 60);
    expect(tokens.verify(second.token)).to.include({ conversationId: 'conv-1', userId: 'dl_abcdefgh' });
    clock.advance(11 * 60 * 1000);
    expect(statusOf(() => tokens.refresh(first.token))).to.equal(403);
    expect(() => tokens.refresh(second.token)).not.to.throw();
  });

  it('refuses a short secret and copies the one it is given', () => {
    expect(statusOf(() => new TokenService({ secret: Buffer.from('short'), clock: new FixedClock() }))).to.equal(500);
    const key = Buffer.from(secret);
    const tokens = new TokenService({ secret: key, clock: new FixedClock() });
    const { token } = tokens.issue('c', 'dl_abcdefgh');
    key.fill(0);
    expect(() => tokens.verify(token)).not.to.throw();
  });
});
