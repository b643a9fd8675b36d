import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AcademyError } from '../../src/errors.js';
import { CREDENTIALS_FILE, loadOrCreateCredentials } from '../../src/lrs/credentials.js';

describe('lrs/credentials loadOrCreateCredentials', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lrs-credentials-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the configured key and secret when both are given, writing nothing', () => {
    const loaded = loadOrCreateCredentials(dir, { key: 'configured', secret: 'configured-secret' });
    expect(loaded).to.deep.equal({ key: 'configured', secret: 'configured-secret', created: false });
    expect(() => statSync(join(dir, CREDENTIALS_FILE))).to.throw();
  });

  it('generates, writes (mode 0600) and then re-reads credentials', () => {
    const data = join(dir, 'nested', 'data');
    const first = loadOrCreateCredentials(data);
    expect(first.created).to.equal(true);
    expect(first.key).to.match(/^[0-9a-f]{20}$/);
    expect(first.secret.length).to.be.at.least(32);
    const file = join(data, CREDENTIALS_FILE);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.deep.equal({ key: first.key, secret: first.secret });

    const second = loadOrCreateCredentials(data, { key: '', secret: '' });
    expect(second).to.deep.equal({ key: first.key, secret: first.secret, created: false });
  });

  it('generates different credentials each time', () => {
    const a = loadOrCreateCredentials(join(dir, 'a'));
    const b = loadOrCreateCredentials(join(dir, 'b'));
    expect(a.key).not.to.equal(b.key);
    expect(a.secret).not.to.equal(b.secret);
  });

  it('refuses a half-configured pair, a broken file, or a key with a colon', () => {
    const half = (() => {
      try {
        loadOrCreateCredentials(dir, { key: 'only-key' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(half).to.be.instanceOf(AcademyError);
    expect((half as AcademyError).field).to.equal('lrs.secret');

    writeFileSync(join(dir, CREDENTIALS_FILE), '{"key": 1}');
    expect(() => loadOrCreateCredentials(dir)).to.throw(AcademyError, /must hold/);
    writeFileSync(join(dir, CREDENTIALS_FILE), 'not json');
    expect(() => loadOrCreateCredentials(dir)).to.throw(AcademyError, /not valid JSON/);
    expect(() => loadOrCreateCredentials(dir, { key: 'a:b', secret: 'c' })).to.throw(AcademyError, /":"/);
  });
});
