import { expect } from 'chai';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Academy } from '../../src/main.js';
import { csvField, tableCsv } from '../../src/admin/html.js';
import { basicAuth, startTestAcademy } from '../support/academy.js';

describe('security: stored documents, CSV cells and file modes', function () {
  this.timeout(60_000);
  let academy: Academy & { dataDir: string };

  before(async () => {
    academy = await startTestAcademy();
  });
  after(async () => {
    await academy?.close();
  });

  const lrs = (path: string, init: RequestInit = {}) =>
    fetch(`${academy.url}/xapi${path}`, {
      ...init,
      headers: {
        Authorization: basicAuth(academy.lrsCredentials.key, academy.lrsCredentials.secret),
        'X-Experience-API-Version': '1.0.3',
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  it('finding 5: an LRS document stored as text/html is served as a sandboxed download, never as a page (also through the alternate syntax)', async () => {
    const agent = encodeURIComponent(JSON.stringify({ mbox: 'mailto:x@example.org' }));
    const q = `activityId=${encodeURIComponent('https://example.org/a')}&agent=${agent}&stateId=xss`;
    const put = await lrs(`/activities/state?${q}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/html' },
      body: '<script>fetch("/admin")</script>',
    });
    expect(put.status).to.equal(204);
    const got = await lrs(`/activities/state?${q}`);
    expect(got.status).to.equal(200);
    expect(got.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(got.headers.get('content-security-policy')).to.equal('sandbox');
    expect(got.headers.get('content-disposition')).to.equal('attachment');
    // The alternate request syntax (a cross-site form can send it) gets the same headers.
    const { key, secret } = academy.lrsCredentials;
    const form = new URLSearchParams({ Authorization: basicAuth(key, secret), 'X-Experience-API-Version': '1.0.3' });
    for (const [k, v] of new URLSearchParams(q)) form.set(k, v);
    const alt = await fetch(`${academy.url}/xapi/activities/state?method=GET`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(alt.status).to.equal(200);
    expect(alt.headers.get('content-security-policy')).to.equal('sandbox');
    expect(alt.headers.get('content-disposition')).to.equal('attachment');
  });

  it('a JSON document is still served inline as JSON', async () => {
    const q = `activityId=${encodeURIComponent('https://example.org/a')}&profileId=p1`;
    expect((await lrs(`/activities/profile?${q}`, { method: 'PUT', headers: { 'Content-Type': 'application/json', 'If-None-Match': '*' }, body: '{"a":1}' })).status).to.equal(204);
    const got = await lrs(`/activities/profile?${q}`);
    expect(got.headers.get('content-disposition')).to.equal(null);
    expect(await got.json()).to.deep.equal({ a: 1 });
  });

  it('finding 7: CSV cells that start with = + - @, a tab or CR are neutralised, also a leading minus with digits', () => {
    for (const evil of ["-1+cmd|' /C calc'!A0", '=HYPERLINK("x")', '+1+1', '@SUM(A1)', '\tx', '\rx', '-5']) {
      expect(csvField(evil).replace(/^"/, '')).to.match(/^'/, evil);
    }
    expect(csvField(-5)).to.equal('-5');
    const csv = tableCsv({ id: 't', caption: 'c', head: ['question', 'count'], rows: [["-1+cmd|' /C calc'!A0", 3]] }, 5);
    expect(csv).to.contain("'-1+cmd|' /C calc'!A0,3");
  });

  it('the academy\'s SQLite files and DATA_DIR are readable by their owner only', () => {
    expect(statSync(academy.dataDir).mode & 0o777).to.equal(0o700);
    for (const name of ['lrs.sqlite', 'outbox.sqlite', 'qa.sqlite']) {
      expect(statSync(join(academy.dataDir, name)).mode & 0o777, name).to.equal(0o600);
    }
  });
});

describe('security: CSV formula injection through HTTP', function () {
  this.timeout(60_000);
  it("finding 7: a failed sign-in's username cannot become a formula in the audit CSV", async () => {
    const { startAdmin, Browserless } = await import('../admin/harness.js');
    const h = await startAdmin({ ADMIN_PASSWORD: 'correct horse battery staple' });
    try {
      const attacker = new Browserless(h.url);
      const token = await attacker.csrf();
      await attacker.post('/admin/sign-in', { _csrf: token, username: "-1+cmd|' /C calc'!A0", password: 'x' });
      const admin = new Browserless(h.url);
      expect((await admin.signIn('correct horse battery staple')).status).to.equal(303);
      const csv = await (await admin.fetch('/admin/audit?export=csv&table=audit')).text();
      const lines = csv.split('\r\n').filter((l) => l.includes('cmd|'));
      expect(lines, csv).to.have.length.greaterThan(0);
      for (const line of lines) for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.to.match(/^[=+\-@\t\r]/);
    } finally {
      await h.close();
    }
  });
});
