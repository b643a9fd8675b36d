import { expect } from 'chai';
import { ConversationStore, parseWatermark } from '../../src/directline/conversations.js';
import { counterIds, FixedClock, statusOf } from './helpers.js';

describe('directline conversations', () => {
  it('logs activities with <conversationId>|0000001 ids, clock timestamps and a watermark per index', () => {
    const clock = new FixedClock();
    const store = new ConversationStore({ clock, ids: counterIds('conv') });
    const c = store.create('dl_user0001');
    expect(c).to.include({ id: 'conv-1', userId: 'dl_user0001', started: false });
    const a = store.append(c.id, { type: 'message', text: 'hi' });
    clock.advance(1500);
    const b = store.append(c.id, { type: 'message', text: 'hello' });
    expect(a.id).to.equal('conv-1|0000001');
    expect(b.id).to.equal('conv-1|0000002');
    expect(a.timestamp).to.equal('2025-01-01T09:00:00.000Z');
    expect(b.timestamp).to.equal('2025-01-01T09:00:01.500Z');
    expect(store.list(c.id)).to.deep.equal({ activities: [a, b], watermark: '2' });
    expect(store.list(c.id, 1)).to.deep.equal({ activities: [b], watermark: '2' });
    expect(store.list(c.id, 2)).to.deep.equal({ activities: [], watermark: '2' });
  });

  it('keeps timestamps strictly increasing when the clock stands still (Web Chat orders by them)', () => {
    const store = new ConversationStore({ clock: new FixedClock(), ids: counterIds() });
    const c = store.create('u');
    const stamps = [1, 2, 3].map(() => store.append(c.id, { type: 'message' }).timestamp);
    expect(stamps).to.deep.equal(['2025-01-01T09:00:00.000Z', '2025-01-01T09:00:00.001Z', '2025-01-01T09:00:00.002Z']);
  });

  it('caps activities per conversation, dropping the oldest but keeping watermarks absolute', () => {
    const store = new ConversationStore({ clock: new FixedClock(), ids: counterIds(), maxActivitiesPerConversation: 3 });
    const c = store.create('u');
    for (let i = 1; i <= 5; i++) store.append(c.id, { type: 'message', text: String(i) });
    const page = store.list(c.id);
    expect(page.activities.map((a) => a.text)).to.deep.equal(['3', '4', '5']);
    expect(page.watermark).to.equal('5');
    expect(store.list(c.id, 4).activities.map((a) => a.text)).to.deep.equal(['5']);
  });

  it('caps conversations, evicting the least recently used', () => {
    const store = new ConversationStore({ clock: new FixedClock(), ids: counterIds('c'), maxConversations: 2 });
    store.create('a');
    store.create('b');
    store.get('c-1');
    store.create('c');
    expect(store.size).to.equal(2);
    expect(store.get('c-1')).to.not.equal(undefined);
    expect(store.get('c-2')).to.equal(undefined);
    expect(store.get('c-3')).to.not.equal(undefined);
  });

  it('forgets idle conversations', () => {
    const clock = new FixedClock();
    const store = new ConversationStore({ clock, ids: counterIds('c'), idleExpiryMs: 60_000 });
    store.create('a');
    store.create('b');
    clock.advance(30_000);
    store.get('c-2');
    clock.advance(45_000);
    expect(store.get('c-1')).to.equal(undefined);
    expect(store.get('c-2')?.userId).to.equal('b');
    clock.advance(61_000);
    store.create('c');
    expect(store.size).to.equal(1);
    expect(statusOf(() => store.list('c-2'))).to.equal(404);
  });

  it('updates an activity in place of id but under a new watermark, and deletes', () => {
    const store = new ConversationStore({ clock: new FixedClock(), ids: counterIds() });
    const c = store.create('u');
    const a = store.append(c.id, { type: 'message', text: 'v1' });
    store.append(c.id, { type: 'message', text: 'other' });
    const updated = store.update(c.id, a.id, { type: 'message', text: 'v2' });
    expect(updated).to.include({ id: a.id, timestamp: a.timestamp, text: 'v2' });
    expect(store.list(c.id, 2)).to.deep.equal({ activities: [updated], watermark: '3' });
    expect(store.deleteActivity(c.id, a.id)).to.equal(true);
    expect(store.deleteActivity(c.id, a.id)).to.equal(false);
    expect(statusOf(() => store.update(c.id, a.id, { type: 'message' }))).to.equal(404);
  });

  it('parses watermarks', () => {
    expect(parseWatermark(null)).to.equal(0);
    expect(parseWatermark('')).to.equal(0);
    expect(parseWatermark('12')).to.equal(12);
    expect(statusOf(() => parseWatermark('-1'))).to.equal(400);
    expect(statusOf(() => parseWatermark('abc'))).to.equal(400);
  });
});
