import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatementStore } from '../../src/lrs/store.js';
import { AUTHORITY, ManualClock, VERBS, basicAuth, serveLrs, statement, uuid, type TestLrs } from './fixtures.js';

type Json = Record<string, unknown>;

const LESSONS = 'https://academy.example.org/xapi/lessons';
const TYPE_LESSON = 'http://adlnet.gov/expapi/activities/lesson';
const TYPE_MODULE = 'http://adlnet.gov/expapi/activities/module';

/** A statement about the Activity `id`, with `definition` when given. */
function about(id: string, definition?: Json, extra: Json = {}): Json {
  const object: Json = { objectType: 'Activity', id };
  if (definition !== undefined) object.definition = definition;
  return statement({ object, ...extra });
}

/** xAPI 1.0.3 Communication §2.5: the Activities Resource merges every definition it received. */
describe('lrs/activities (merged Activity definitions)', () => {
  let lrs: TestLrs;

  before(async () => {
    lrs = await serveLrs();
  });

  after(() => lrs.close());

  const headers = (): Record<string, string> => ({
    Authorization: basicAuth(),
    'X-Experience-API-Version': '1.0.3',
    'Content-Type': 'application/json',
  });

  async function post(body: unknown): Promise<Response> {
    lrs.clock.advance(1000);
    return fetch(`${lrs.base}/statements`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
  }

  async function stored(body: unknown): Promise<void> {
    const response = await post(body);
    expect(response.status, await response.text()).to.equal(200);
  }

  async function activity(id: string): Promise<Json> {
    const response = await fetch(`${lrs.base}/activities?${new URLSearchParams({ activityId: id })}`, { headers: headers() });
    expect(response.status, await response.clone().text()).to.equal(200);
    return (await response.json()) as Json;
  }

  it('merges the names and description of two statements about the same Activity', async () => {
    const id = `${LESSONS}/merge-${uuid()}`;
    await stored(about(id, { name: { 'en-US': 'Spotting scams' } }));
    await stored(about(id, { name: { 'fr-FR': 'Repérer les arnaques' }, description: { 'fr-FR': 'Les courriels suspects' } }));
    expect(await activity(id)).to.deep.equal({
      objectType: 'Activity',
      id,
      definition: {
        name: { 'en-US': 'Spotting scams', 'fr-FR': 'Repérer les arnaques' },
        description: { 'fr-FR': 'Les courriels suspects' },
      },
    });
  });

  it('takes a new type from a later statement and keeps the names', async () => {
    const id = `${LESSONS}/type-${uuid()}`;
    await stored(about(id, { type: TYPE_LESSON, name: { 'en-GB': 'Teams basics' } }));
    await stored(about(id, { type: TYPE_MODULE, name: { 'cy-GB': 'Hanfodion Teams' } }));
    const { definition } = await activity(id);
    expect(definition).to.deep.equal({ type: TYPE_MODULE, name: { 'en-GB': 'Teams basics', 'cy-GB': 'Hanfodion Teams' } });
  });

  it('returns a definition carried only in context.contextActivities.parent', async () => {
    const course = `https://academy.example.org/xapi/courses/cyber-${uuid()}`;
    const lesson = `${LESSONS}/child-${uuid()}`;
    await stored(
      about(lesson, undefined, {
        context: {
          contextActivities: {
            parent: [{ objectType: 'Activity', id: course, definition: { name: { 'en-GB': 'Cyber security' } } }],
          },
        },
      }),
    );
    expect(await activity(course)).to.deep.equal({
      objectType: 'Activity',
      id: course,
      definition: { name: { 'en-GB': 'Cyber security' } },
    });
  });

  it('answers { objectType, id } only for an Activity never given a definition', async () => {
    const seen = `${LESSONS}/bare-${uuid()}`;
    await stored(about(seen));
    expect(await activity(seen)).to.deep.equal({ objectType: 'Activity', id: seen });
    const unknown = `${LESSONS}/unknown-${uuid()}`;
    expect(await activity(unknown)).to.deep.equal({ objectType: 'Activity', id: unknown });
  });

  it('keeps no definition from a rejected batch (second statement invalid)', async () => {
    const id = `${LESSONS}/rejected-${uuid()}`;
    const invalid = statement({ verb: { display: { 'en-GB': 'no id' } } });
    const response = await post([about(id, { name: { 'en-GB': 'Never stored' } }), invalid]);
    expect(response.status).to.equal(400);
    expect(await activity(id)).to.deep.equal({ objectType: 'Activity', id });
    expect(lrs.store.activities.definition(id)).to.equal(undefined);
  });

  it('keeps no definition from a batch rolled back by a conflicting id (409), in the table nor the cache', async () => {
    const taken = uuid();
    await stored(statement({ id: taken }));
    const id = `${LESSONS}/conflict-${uuid()}`;
    const conflicting = statement({ id: taken, verb: { id: VERBS.attempted } });
    const response = await post([about(id, { name: { 'en-GB': 'Rolled back' } }), conflicting]);
    expect(response.status).to.equal(409);
    expect(await activity(id)).to.deep.equal({ objectType: 'Activity', id });
    expect(lrs.store.activities.definition(id)).to.equal(undefined);
    // A definition already known stays as it was.
    const known = `${LESSONS}/known-${uuid()}`;
    await stored(about(known, { name: { 'en-GB': 'Known' } }));
    const again = await post([about(known, { name: { 'fr-FR': 'Connu' } }), conflicting]);
    expect(again.status).to.equal(409);
    expect((await activity(known)).definition).to.deep.equal({ name: { 'en-GB': 'Known' } });
  });

  describe('backfill', () => {
    it('rebuilds lrs_activities from the statements of a store made before the table existed', () => {
      const dir = mkdtempSync(join(tmpdir(), 'lrs-activities-'));
      try {
        const file = join(dir, 'lrs.sqlite');
        const clock = new ManualClock();
        const id = `${LESSONS}/backfill`;
        const parent = 'https://academy.example.org/xapi/courses/backfill';
        const first = new StatementStore(file, clock);
        first.insert([about(id, { type: TYPE_LESSON, name: { 'en-GB': 'Backfill' } })], AUTHORITY);
        clock.advance(1000);
        first.insert(
          [
            about(id, { type: TYPE_MODULE, name: { 'fr-FR': 'Remplissage' } }, {
              context: { contextActivities: { parent: { id: parent, definition: { name: { 'en-GB': 'Course' } } } } },
            }),
          ],
          AUTHORITY,
        );
        first.db.exec('DROP TABLE lrs_activities');
        first.close();

        const second = new StatementStore(file, clock);
        try {
          expect(second.activities.definition(id)).to.deep.equal({
            type: TYPE_MODULE,
            name: { 'en-GB': 'Backfill', 'fr-FR': 'Remplissage' },
          });
          expect(second.activities.definition(parent)).to.deep.equal({ name: { 'en-GB': 'Course' } });
          const row = second.db.prepare('SELECT count(*) AS n FROM lrs_activities').get() as { n: number };
          expect(row.n).to.equal(2);
        } finally {
          second.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
