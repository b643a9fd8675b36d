import { expect } from 'chai';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStorage } from '../../src/storage/sqliteStorage.js';
import { statusOf } from '../directline/helpers.js';
import { tempDir } from '../support/bot.js';

describe('bot state in SQLite', () => {
  it('reads back what was written, with an eTag, and nothing for unknown keys', async () => {
    const s = new SqliteStorage(join(tempDir(), 'state.sqlite'));
    await s.write({ a: { role: 'nhs', nested: { step: 2 } } });
    const got = await s.read(['a', 'missing']);
    expect(got.a).to.deep.include({ role: 'nhs', nested: { step: 2 } });
    expect(got.a.eTag).to.be.a('string');
    expect(got).not.to.have.property('missing');
    s.close();
  });

  it('refuses a write with a stale eTag (412) and writes nothing of that change set', async () => {
    const s = new SqliteStorage(join(tempDir(), 'state.sqlite'));
    await s.write({ a: { n: 1 } });
    const first = (await s.read(['a'])).a;
    await s.write({ a: { ...first, n: 2 } });
    let err: unknown;
    try {
      await s.write({ b: { n: 9 }, a: { ...first, n: 3 } });
    } catch (e) {
      err = e;
    }
    expect(statusOf(() => { throw err; })).to.equal(412);
    expect((await s.read(['a'])).a.n).to.equal(2);
    expect(await s.read(['b'])).to.deep.equal({});
    // '*' overwrites whatever is there.
    await s.write({ a: { n: 4, eTag: '*' } });
    expect((await s.read(['a'])).a.n).to.equal(4);
    s.close();
  });

  it('keeps state across a restart and deletes keys', async () => {
    const file = join(tempDir(), 'state.sqlite');
    const s = new SqliteStorage(file);
    await s.write({ a: { n: 1 }, b: { n: 2 } });
    s.close();
    const again = new SqliteStorage(file);
    expect(Object.keys(await again.read(['a', 'b']))).to.deep.equal(['a', 'b']);
    await again.delete(['a']);
    expect(Object.keys(await again.read(['a', 'b']))).to.deep.equal(['b']);
    again.close();
  });

  it('moves an earlier bot-state.json in once and renames it', async () => {
    const dir = tempDir();
    const json = join(dir, 'bot-state.json');
    writeFileSync(json, JSON.stringify({ items: { 'webchat/users/dl_x/': { eTag: '7', value: { profile: { role: 'nhs' } } } }, nextETag: 8 }));
    const s = new SqliteStorage(join(dir, 'bot-state.sqlite'));
    expect(s.migrateFromLowdb(json)).to.equal(1);
    expect(existsSync(json)).to.equal(false);
    expect(existsSync(`${json}.migrated`)).to.equal(true);
    expect((await s.read(['webchat/users/dl_x/']))['webchat/users/dl_x/']).to.deep.include({ profile: { role: 'nhs' } });
    expect(s.migrateFromLowdb(json)).to.equal(0);
    s.close();
  });

  it('a turn touches only its own rows: reading and writing one learner costs the same with 20,000 others stored', async () => {
    const s = new SqliteStorage(join(tempDir(), 'state.sqlite'));
    const many: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < 20_000; i++) many[`webchat/users/dl_${i}/`] = { profile: { role: 'nhs', lesson: { id: 'nhs-app.register', step: i % 7 } } };
    await s.write(many);
    expect(s.count()).to.equal(20_000);
    // Behaviour, not timing: the write changes one row and leaves the others as they were.
    const before = (await s.read(['webchat/users/dl_5/']))['webchat/users/dl_5/'];
    await s.write({ 'webchat/users/dl_4/': { profile: { role: 'champion' } } });
    expect((await s.read(['webchat/users/dl_5/']))['webchat/users/dl_5/']).to.deep.equal(before);
    expect((await s.read(['webchat/users/dl_4/']))['webchat/users/dl_4/']).to.deep.include({ profile: { role: 'champion' } });
    s.close();
  });
});
