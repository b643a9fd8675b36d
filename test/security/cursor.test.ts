/**
 * Issue 13, lower finding: the LRS `more` cursor is signed, so the page cap holds. Through HTTP
 * against the whole academy; only modules 53d958e already had are imported.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Academy } from '../../src/main.js';
import { basicAuth, startTestAcademy } from '../support/academy.js';

const CAP = 100; // the embedded LRS's page cap

describe('security: the LRS more cursor is signed (issue 13)', function () {
  this.timeout(60_000);
  let academy: Academy;
  const get = (path: string) =>
    fetch(`${academy.url}${path}`, { headers: { Authorization: basicAuth(academy.lrsCredentials.key, academy.lrsCredentials.secret), 'X-Experience-API-Version': '1.0.3' } });
  const page = async (path: string) => {
    const res = await get(path);
    expect(res.status, path).to.equal(200);
    return (await res.json()) as { statements: { id: string }[]; more: string };
  };

  before(async () => {
    academy = await startTestAcademy();
    const statements = Array.from({ length: 2 * CAP + 30 }, (_, i) => ({
      id: randomUUID(),
      actor: { mbox: `mailto:learner${i % 7}@example.org` },
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
      object: { id: `https://example.org/activity/${i}` },
    }));
    const res = await fetch(`${academy.url}/xapi/statements`, {
      method: 'POST',
      headers: { Authorization: basicAuth(academy.lrsCredentials.key, academy.lrsCredentials.secret), 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
      body: JSON.stringify(statements),
    });
    expect(res.status).to.equal(200);
  });
  after(async () => {
    await academy?.close();
  });

  /** The token of a `more` link, with its JSON body edited (and any signature kept as it was). */
  function tampered(more: string, edit: (body: Record<string, unknown>) => void): string {
    const token = new URL(more, academy.url).searchParams.get('more') ?? '';
    const [payload, ...rest] = token.split('.');
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    edit(body);
    return [Buffer.from(JSON.stringify(body)).toString('base64url'), ...rest].join('.');
  }

  it('a more token edited to l=1e9 (or to other bounds) is a 400, and the page cap holds', async () => {
    const first = await page('/xapi/statements?limit=10');
    expect(first.more).to.not.equal('');
    for (const edit of [(b: Record<string, unknown>) => (b.l = 1e9), (b: Record<string, unknown>) => (b.u = Number(b.u) + 1000), (b: Record<string, unknown>) => (b.k = ['verb:https://example.org/other'])]) {
      const res = await get(`/xapi/statements?more=${tampered(first.more, edit)}`);
      expect(res.status).to.equal(400);
      expect(((await res.json()) as { statements?: unknown }).statements).to.equal(undefined);
    }
  });

  it('a token written by hand, without a valid signature, is a 400', async () => {
    const forged = Buffer.from(JSON.stringify({ v: 1, k: [], a: 0, u: 1e9, o: 'a', l: 1e9, f: 'exact' })).toString('base64url');
    for (const token of [forged, `${forged}.${'A'.repeat(43)}`, `${forged}.`, '.', 'x'.repeat(9000)]) {
      expect((await get(`/xapi/statements?more=${token}`)).status, token.slice(0, 30)).to.equal(400);
    }
  });

  it('limit above the cap gives pages of at most the cap, and the genuine more links reach every statement once', async () => {
    const seen = new Set<string>();
    let next = '/xapi/statements?limit=1000000000';
    let pages = 0;
    while (next) {
      const p = await page(next);
      expect(p.statements.length).to.be.at.most(CAP);
      for (const s of p.statements) {
        expect(seen.has(s.id)).to.equal(false);
        seen.add(s.id);
      }
      next = p.more;
      pages += 1;
    }
    expect(seen.size).to.equal(2 * CAP + 30);
    expect(pages).to.equal(3);
  });
});
