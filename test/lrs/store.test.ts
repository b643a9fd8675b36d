import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatementStore } from '../../src/lrs/store.js';
import type { StoredStatement } from '../../src/lrs/types.js';
import { AUTHORITY, CountingIds, ManualClock, VERBS, agent, rejection, statement, uuid, voiding } from './fixtures.js';

type Json = Record<string, unknown>;


const LESSON = 'https://academy.example.org/xapi/lessons/passwords';
const COURSE = 'https://academy.example.org/xapi/courses/cyber';

describe('lrs/store StatementStore', () => {
  let clock: ManualClock;
  let store: StatementStore;

  beforeEach(() => {
    clock = new ManualClock();
    store = new StatementStore(':memory:', clock, { ids: new CountingIds(), maxPageSize: 50 });
  });
  afterEach(() => store.close());

  function ids(statements: StoredStatement[]): string[] {
    return statements.map((s) => s.id);
  }

  /** Inserts one statement per call, a second apart; returns the id. */
  function add(extra: Json = {}): string {
    clock.advance(1000);
    return store.insert([statement(extra)], AUTHORITY)[0];
  }

  describe('insert', () => {
    it('assigns id, stored, authority, version and timestamp', () => {
      const [id] = store.insert([statement({ authority: agent('Mallory'), stored: '2000-01-01T00:00:00Z' })], AUTHORITY);
      expect(id).to.equal('00000000-0000-4000-8000-000000000001');
      const stored = store.get(id);
      expect(stored).to.include({
        id,
        stored: '2024-05-01T09:00:00.000Z',
        timestamp: '2024-05-01T09:00:00.000Z',
        version: '1.0.0',
      });
      expect(stored?.authority).to.deep.equal(AUTHORITY);
    });

    it('keeps the id, timestamp and version it was given', () => {
      const id = uuid();
      store.insert([statement({ id, timestamp: '2024-04-30T08:00:00+01:00', version: '1.0.3' })], AUTHORITY);
      expect(store.get(id)).to.include({ id, timestamp: '2024-04-30T08:00:00+01:00', version: '1.0.3' });
    });

    it('stores context activities as arrays, in statements and SubStatements', () => {
      const id = add({
        context: { contextActivities: { parent: { id: COURSE } } },
      });
      expect(store.get(id)?.context?.contextActivities?.parent).to.deep.equal([{ id: COURSE }]);
      const sub = add({
        object: {
          objectType: 'SubStatement',
          actor: agent('Ada'),
          verb: { id: VERBS.attempted },
          object: { id: LESSON },
          context: { contextActivities: { grouping: { id: COURSE } } },
        },
      });
      const object = store.get(sub)?.object;
      expect(object).to.have.nested.property('context.contextActivities.grouping').that.deep.equals([{ id: COURSE }]);
    });

    it('validates the whole batch before storing any of it', () => {
      const error = rejection(() =>
        store.insert([statement(), statement({ actor: { mbox: 'ada@example.org' } }), statement()], AUTHORITY),
      );
      expect(error.status).to.equal(400);
      expect(error.field).to.equal('statements[1].actor.mbox');
      expect(store.count()).to.equal(0);
    });

    it('stores a batch atomically: a conflict in the middle stores nothing', () => {
      const taken = add();
      const before = store.count();
      const error = rejection(() =>
        store.insert([statement(), statement({ id: taken, verb: { id: VERBS.attempted } }), statement()], AUTHORITY),
      );
      expect(error.status).to.equal(409);
      expect(error.field).to.equal('statements[1].id');
      expect(store.count()).to.equal(before);
      // The store still works after the rollback (cached index keys were dropped).
      add({ verb: { id: 'http://example.org/verbs/new-after-rollback' } });
      expect(store.query({ verb: 'http://example.org/verbs/new-after-rollback' }).statements).to.have.length(1);
    });

    it('accepts the same statement again as a no-op', () => {
      const id = uuid();
      const original = statement({ id, timestamp: '2024-05-01T10:00:00+01:00' });
      store.insert([original], AUTHORITY);
      clock.advance(5000);
      // Same statement with differences the comparison rules ignore.
      const again = statement({
        id: id.toUpperCase(),
        timestamp: '2024-05-01T09:00:00.000Z',
        verb: { id: VERBS.completed, display: { fr: 'terminé' } },
        object: { id: LESSON, definition: { name: { en: 'other name' } } },
        version: '1.0.0',
      });
      expect(store.insert([again], { objectType: 'Agent', mbox: 'mailto:other@example.org' })).to.deep.equal([
        id.toUpperCase(),
      ]);
      expect(store.count()).to.equal(1);
      expect(store.get(id)?.stored).to.equal('2024-05-01T09:00:00.000Z');
    });

    it('treats group member order and single context activities as the same statement', () => {
      const id = uuid();
      const members = [agent('Ada'), agent('Grace')];
      store.insert(
        [statement({ id, actor: { objectType: 'Group', member: members }, context: { contextActivities: { parent: { id: COURSE } } } })],
        AUTHORITY,
      );
      const reordered = statement({
        id,
        actor: { objectType: 'Group', member: [...members].reverse() },
        context: { contextActivities: { parent: [{ id: COURSE }] } },
      });
      expect(() => store.insert([reordered], AUTHORITY)).not.to.throw();
      expect(store.count()).to.equal(1);
    });

    it('rejects the same id with different content (409) and keeps the original', () => {
      const id = uuid();
      store.insert([statement({ id })], AUTHORITY);
      for (const changed of [
        statement({ id, verb: { id: VERBS.attempted } }),
        statement({ id, result: { success: true } }),
        statement({ id, timestamp: '2020-01-01T00:00:00Z' }),
        statement({ id, actor: agent('Grace') }),
      ]) {
        const error = rejection(() => store.insert([changed], AUTHORITY));
        expect(error.status).to.equal(409);
      }
      expect(store.get(id)?.verb.id).to.equal(VERBS.completed);
    });

    it('never lets stored go backwards, so sequence order is stored order', () => {
      add();
      clock.advance(-60_000);
      const later = add();
      const stored = store.query({ ascending: true }).statements.map((s) => s.stored);
      expect(stored[1] >= stored[0]).to.equal(true);
      expect(store.get(later)?.stored).to.equal(stored[0]);
    });
  });

  describe('voiding', () => {
    it('hides a voided statement from get and query, but not from getVoided', () => {
      const target = add();
      const voider = store.insert([voiding(target)], AUTHORITY)[0];
      expect(store.get(target)).to.equal(undefined);
      expect(store.getVoided(target)?.id).to.equal(target);
      expect(store.get(voider)?.id).to.equal(voider);
      expect(store.getVoided(voider)).to.equal(undefined);
      expect(ids(store.query({}).statements)).to.deep.equal([voider]);
    });

    it('voids a statement stored earlier in the same batch', () => {
      const target = uuid();
      store.insert([statement({ id: target }), voiding(target)], AUTHORITY);
      expect(store.get(target)).to.equal(undefined);
      expect(store.getVoided(target)?.id).to.equal(target);
    });

    it('rejects voiding a statement that is not stored, and nothing is stored', () => {
      const error = rejection(() => store.insert([statement(), voiding(uuid())], AUTHORITY));
      expect(error.status).to.equal(400);
      expect(error.field).to.equal('statements[1].object.id');
      expect(store.count()).to.equal(0);
    });

    it('rejects voiding a voiding statement', () => {
      const target = add();
      const voider = store.insert([voiding(target)], AUTHORITY)[0];
      const error = rejection(() => store.insert([voiding(voider)], AUTHORITY));
      expect(error.status).to.equal(400);
      expect(error.message).to.contain('cannot be voided');
      expect(store.get(voider)?.id).to.equal(voider);
    });

    it('can accept a voiding statement before its target (requireVoidTarget: false)', () => {
      const lenient = new StatementStore(':memory:', clock, { requireVoidTarget: false });
      try {
        const target = uuid();
        lenient.insert([voiding(target)], AUTHORITY);
        lenient.insert([statement({ id: target })], AUTHORITY);
        expect(lenient.get(target)).to.equal(undefined);
        expect(lenient.getVoided(target)?.id).to.equal(target);
      } finally {
        lenient.close();
      }
    });
  });

  describe('query', () => {
    it('returns newest first, or oldest first with ascending', () => {
      const a = add();
      const b = add();
      const c = add();
      expect(ids(store.query({}).statements)).to.deep.equal([c, b, a]);
      expect(ids(store.query({ ascending: true }).statements)).to.deep.equal([a, b, c]);
      expect(store.query({}).more).to.equal('');
    });

    it('filters by agent as actor or object, including Group members', () => {
      const asActor = add({ actor: agent('Lin') });
      const asObject = add({ object: { objectType: 'Agent', mbox: 'mailto:lin@example.org' } });
      const inGroup = add({ actor: { objectType: 'Group', member: [agent('Lin'), agent('Ada')] } });
      add({ context: { instructor: agent('Lin') } });
      add();
      const result = store.query({ agent: { mbox: 'mailto:lin@example.org' } });
      expect(ids(result.statements)).to.deep.equal([inGroup, asObject, asActor]);
    });

    it('matches mbox domains case-insensitively and accounts exactly', () => {
      const a = add({ actor: { mbox: 'mailto:Lin@EXAMPLE.org' } });
      const b = add({ actor: { account: { homePage: 'https://teams.example.org', name: 'aad-1' } } });
      expect(ids(store.query({ agent: { mbox: 'mailto:Lin@example.ORG' } }).statements)).to.deep.equal([a]);
      expect(ids(store.query({ agent: { account: { homePage: 'https://teams.example.org', name: 'aad-1' } } }).statements)).to.deep.equal([b]);
      expect(store.query({ agent: { account: { homePage: 'https://teams.example.org', name: 'AAD-1' } } }).statements).to.have.length(0);
    });

    it('with related_agents, also matches instructor, team, authority and SubStatement agents', () => {
      const actor = add({ actor: agent('Lin') });
      const instructor = add({ context: { instructor: agent('Lin') } });
      const team = add({ context: { team: { objectType: 'Group', member: [agent('Lin')] } } });
      const sub = add({
        object: { objectType: 'SubStatement', actor: agent('Lin'), verb: { id: VERBS.attempted }, object: { id: LESSON } },
      });
      add();
      const lin = { mbox: 'mailto:lin@example.org' };
      expect(ids(store.query({ agent: lin }).statements)).to.deep.equal([actor]);
      expect(ids(store.query({ agent: lin, relatedAgents: true }).statements)).to.deep.equal([sub, team, instructor, actor]);
      expect(store.query({ agent: AUTHORITY, relatedAgents: true }).statements).to.have.length(5);
      expect(store.query({ agent: AUTHORITY }).statements).to.have.length(0);
    });

    it('filters by verb, activity and registration', () => {
      const registration = uuid();
      const attempted = add({ verb: { id: VERBS.attempted } });
      const inCourse = add({ object: { id: COURSE }, context: { registration } });
      add();
      expect(ids(store.query({ verb: VERBS.attempted }).statements)).to.deep.equal([attempted]);
      expect(ids(store.query({ activity: COURSE }).statements)).to.deep.equal([inCourse]);
      expect(ids(store.query({ registration: registration.toUpperCase() }).statements)).to.deep.equal([inCourse]);
      expect(store.query({ verb: 'http://example.org/verbs/never' }).statements).to.deep.equal([]);
    });

    it('with related_activities, also matches context activities and SubStatement activities', () => {
      const object = add({ object: { id: COURSE } });
      const parent = add({ context: { contextActivities: { parent: [{ id: COURSE }] } } });
      const category = add({ context: { contextActivities: { category: { id: COURSE } } } });
      const sub = add({
        object: { objectType: 'SubStatement', actor: agent('Lin'), verb: { id: VERBS.attempted }, object: { id: COURSE } },
      });
      add();
      expect(ids(store.query({ activity: COURSE }).statements)).to.deep.equal([object]);
      expect(ids(store.query({ activity: COURSE, relatedActivities: true }).statements)).to.deep.equal([sub, category, parent, object]);
    });

    it('combines filters (all must match)', () => {
      const both = add({ actor: agent('Lin'), verb: { id: VERBS.attempted } });
      add({ actor: agent('Lin') });
      add({ verb: { id: VERBS.attempted } });
      const result = store.query({ agent: agent('Lin'), verb: VERBS.attempted, activity: LESSON });
      expect(ids(result.statements)).to.deep.equal([both]);
    });

    it('filters by stored time: since exclusive, until inclusive', () => {
      const a = add(); // 09:00:01
      const b = add(); // 09:00:02
      const c = add(); // 09:00:03
      expect(ids(store.query({ since: '2024-05-01T09:00:01.000Z' }).statements)).to.deep.equal([c, b]);
      expect(ids(store.query({ until: '2024-05-01T09:00:02.000Z' }).statements)).to.deep.equal([b, a]);
      expect(ids(store.query({ since: '2024-05-01T10:00:01+01:00', until: '2024-05-01T09:00:02Z' }).statements)).to.deep.equal([b]);
      expect(store.query({ since: '2024-05-01T09:00:03Z' }).statements).to.deep.equal([]);
    });

    it('pages with limit and more, newest first, as a stable snapshot', () => {
      const all = Array.from({ length: 7 }, () => add());
      const first = store.query({ limit: 3 }, { morePath: '/lrs/statements' });
      expect(ids(first.statements)).to.deep.equal(all.slice(4).reverse());
      expect(first.more).to.match(/^\/lrs\/statements\?more=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      add(); // stored after the first page: not part of this result set
      const token = (more: string) => more.split('more=')[1];
      const second = store.more(token(first.more));
      expect(ids(second.statements)).to.deep.equal(all.slice(1, 4).reverse());
      const third = store.more(token(second.more));
      expect(ids(third.statements)).to.deep.equal([all[0]]);
      expect(third.more).to.equal('');
    });

    it('pages ascending with filters', () => {
      const lin = Array.from({ length: 5 }, () => add({ actor: agent('Lin') }));
      add();
      const first = store.query({ agent: agent('Lin'), ascending: true, limit: 2 });
      expect(ids(first.statements)).to.deep.equal(lin.slice(0, 2));
      const second = store.more(first.more.split('more=')[1]);
      expect(ids(second.statements)).to.deep.equal(lin.slice(2, 4));
      const third = store.more(second.more.split('more=')[1]);
      expect(ids(third.statements)).to.deep.equal([lin[4]]);
      expect(third.more).to.equal('');
    });

    it('caps the page at the server maximum (limit 0 or larger)', () => {
      for (let i = 0; i < 60; i++) add();
      expect(store.query({ limit: 0 }).statements).to.have.length(50);
      expect(store.query({ limit: 1000 }).statements).to.have.length(50);
      expect(store.query({ limit: 0 }).more).not.to.equal('');
    });

    it('rejects a tampered more token', () => {
      expect(rejection(() => store.more('not-a-token')).status).to.equal(400);
      expect(rejection(() => store.more(Buffer.from('{"v":2}').toString('base64url'))).field).to.equal('more');
    });

    it('returns the ids and canonical formats', () => {
      const id = add({
        verb: { id: VERBS.completed, display: { 'en-GB': 'completed', 'en-US': 'completed (US)', fr: 'terminé' } },
        actor: { objectType: 'Group', name: 'Ward 7', member: [agent('Ada')] },
        context: { contextActivities: { parent: [{ id: COURSE, definition: { name: { fr: 'Cours', 'en-GB': 'Course' } } }] } },
      });
      const idsFormat = store.get(id, 'ids');
      expect(idsFormat?.verb).to.deep.equal({ id: VERBS.completed });
      expect(idsFormat?.actor).to.deep.equal({ objectType: 'Group', member: [{ objectType: 'Agent', mbox: 'mailto:ada@example.org' }] });
      expect(idsFormat?.object).to.deep.equal({ id: LESSON });
      expect(idsFormat?.context?.contextActivities?.parent).to.deep.equal([{ id: COURSE }]);
      expect(idsFormat?.authority).to.deep.equal(AUTHORITY);

      const canonical = store.query({ format: 'canonical' }, { acceptLanguage: 'fr;q=0.5, en-US' }).statements[0];
      expect(canonical.verb.display).to.deep.equal({ 'en-US': 'completed (US)' });
      expect(canonical.object).to.have.nested.property('definition.name').that.deep.equals({ 'en-US': 'Strong passwords (US)' });
      expect(canonical.context?.contextActivities?.parent).to.have.nested.property('[0].definition.name').that.deep.equals({ fr: 'Cours' });
      expect(canonical.actor).to.deep.equal({ objectType: 'Group', name: 'Ward 7', member: [agent('Ada')] });
    });
  });

  describe('StatementRef filter rule', () => {
    it('matches a statement through the statement it targets, recursively', () => {
      const original = add({ actor: agent('Ben'), object: { id: COURSE } });
      const confirm = add({ actor: agent('Andrew'), verb: { id: 'http://example.org/verbs/confirmed' }, object: { objectType: 'StatementRef', id: original } });
      const comment = add({ actor: agent('Cleo'), verb: { id: 'http://example.org/verbs/commented' }, object: { objectType: 'StatementRef', id: confirm } });
      add();
      expect(ids(store.query({ agent: agent('Ben') }).statements)).to.deep.equal([comment, confirm, original]);
      expect(ids(store.query({ activity: COURSE }).statements)).to.deep.equal([comment, confirm, original]);
      // Each filter condition may be met directly or through the target.
      expect(ids(store.query({ agent: agent('Andrew'), activity: COURSE }).statements)).to.deep.equal([comment, confirm]);
    });

    it('applies since/until to the referencing statement itself', () => {
      const original = add({ actor: agent('Ben') });
      const since = store.get(original)?.stored ?? '';
      const ref = add({ object: { objectType: 'StatementRef', id: original } });
      expect(ids(store.query({ agent: agent('Ben'), since }).statements)).to.deep.equal([ref]);
    });

    it('still returns statements targeting a voided statement, but not the voided one', () => {
      const verb = 'http://adlnet.gov/expapi/test/voided/target/x';
      const voided = add({ verb: { id: verb } });
      const voider = store.insert([voiding(voided)], AUTHORITY)[0];
      clock.advance(1000);
      const ref = add({ verb: { id: verb }, object: { objectType: 'StatementRef', id: voided } });
      expect(ids(store.query({ verb }).statements)).to.deep.equal([ref, voider]);
    });

    it('works when the referencing statement arrives before its target', () => {
      const later = uuid();
      const ref = add({ object: { objectType: 'StatementRef', id: later } });
      const refOfRef = add({ object: { objectType: 'StatementRef', id: ref } });
      const target = add({ id: later, actor: agent('Dora') });
      expect(ids(store.query({ agent: agent('Dora') }).statements)).to.deep.equal([target, refOfRef, ref]);
    });
  });

  describe('persistence', () => {
    it('keeps statements, voids and indexes in the file across reopening', () => {
      const dir = mkdtempSync(join(tmpdir(), 'lrs-store-'));
      try {
        const file = join(dir, 'lrs.sqlite');
        const first = new StatementStore(file, clock);
        const target = first.insert([statement({ actor: agent('Lin') })], AUTHORITY)[0];
        clock.advance(1000);
        const [kept, voider] = first.insert([statement({ actor: agent('Lin') }), voiding(target)], AUTHORITY);
        first.close();
        const second = new StatementStore(file, clock);
        // The voiding statement matches Lin through its StatementRef; the voided one is hidden.
        expect(ids(second.query({ agent: agent('Lin') }).statements)).to.deep.equal([voider, kept]);
        expect(second.getVoided(target)?.id).to.equal(target);
        second.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
