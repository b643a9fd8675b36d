import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, readDotEnv } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';
import { tempDir } from '../support/bot.js';

import { configFieldOf as fieldOf } from '../support/config.js';

describe('configuration', () => {
  it('has working defaults: port 3978, ./data, local development, embedded LRS', () => {
    const c = loadConfig({}, '/srv/academy');
    expect(c.port).to.equal(3978);
    expect(c.dataDir).to.equal('/srv/academy/data');
    expect(c.baseUrl).to.equal('http://localhost:3978');
    expect(c.bot.appId).to.equal('');
    expect(c.directLine.secret).to.equal('');
  });

  for (const [env, field] of [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ ACADEMY_BASE_URL: 'ftp://x' }, 'ACADEMY_BASE_URL'],
    [{ MicrosoftAppId: 'not-a-guid' }, 'MicrosoftAppId'],
    [{ MicrosoftAppId: '6a1f7b1e-1111-4c4c-9d9d-123456789abc' }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppType: 'Everyone' }, 'MicrosoftAppType'],
    [{ EMBEDDED_LRS_KEY: 'key-only' }, 'EMBEDDED_LRS_SECRET'],
    [{ CHAMPIONS_TEAM_ID: '19:a@thread.tacv2', CHAMPIONS_CONVERSATION_ID: '19:b@thread.v2' }, 'CHAMPIONS_CONVERSATION_ID'],
    [{ CHAMPIONS_TEAM_ID: 'Champions team' }, 'CHAMPIONS_TEAM_ID'],
    [{ CHAMPIONS_CONVERSATION_ID: '19:x@thread.v2;messageid=1' }, 'CHAMPIONS_CONVERSATION_ID'],
    [{ RATE_TOKENS_PER_IP: '0' }, 'RATE_TOKENS_PER_IP'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    [{ LOCAL_SERVICE_URLS: 'ftp://x' }, 'LOCAL_SERVICE_URLS'],
  ] as [Record<string, string>, string][]) {
    it(`refuses ${JSON.stringify(env)}, naming ${field}`, () => {
      expect(fieldOf(env)).to.equal(field);
    });
  }

  it('reads .env, and the real environment wins over it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'PORT=4000\nDATA_DIR=./state\n');
    const c = loadConfig({ ...readDotEnv(dir), PORT: '4001' }, dir);
    expect(c.port).to.equal(4001);
    expect(c.dataDir).to.equal(join(dir, 'state'));
  });

  it('stops the start with a message naming the wrong variable', function () {
    // A child process compiling with tsx: slow on a busy machine (spawnSync has its own 60 s limit).
    this.timeout(70_000);
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot(), 'src', 'main.ts')], {
      env: { ...process.env, PORT: 'eighty', DATA_DIR: tempDir() },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.contain('PORT must be a whole number');
  });
});
