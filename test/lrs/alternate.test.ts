import { expect } from 'chai';
import { basicAuth, serveLrs, statement, uuid, type TestLrs } from './fixtures.js';

type Json = Record<string, unknown>;

const FORM = 'application/x-www-form-urlencoded';
const ACTIVITY = 'https://academy.example.org/xapi/lessons/passwords';
const AGENT = JSON.stringify({ objectType: 'Agent', account: { homePage: 'https://academy.example', name: 'learner-1' } });

/** xAPI 1.0.3 Communication §1.3: POST <resource>?method=X with a form body. */
describe('lrs/alternate (xAPI 1.0.3 Alternate Request Syntax)', () => {
  let lrs: TestLrs;

  before(async () => {
    lrs = await serveLrs();
  });

  after(() => lrs.close());

  /** Credentials and version: real headers, or the same names as form fields. */
  const real = (version = '1.0.3'): Record<string, string> => ({ Authorization: basicAuth(), 'X-Experience-API-Version': version });

  /** POST `path` with `fields` form-encoded; `headers` are added to Content-Type: form. */
  function alternate(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${lrs.base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': FORM, ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }


  async function fieldOf(response: Response): Promise<unknown> {
    const body = (await response.json()) as Json;
    return body.field;
  }

  it('POST ?method=GET with form limit=1 and real headers: 200 StatementResult', async () => {
    lrs.store.insert([statement(), statement()], { objectType: 'Agent', mbox: 'mailto:lrs@example.org' });
    const response = await alternate('/statements?method=GET', { limit: '1' }, real());
    expect(response.status, await response.clone().text()).to.equal(200);
    expect(response.headers.get('x-experience-api-version')).to.equal('1.0.3');
    expect(response.headers.get('x-experience-api-consistent-through')).to.match(/^\d{4}-\d\d-\d\dT/);
    const result = (await response.json()) as { statements: Json[]; more: string };
    expect(result.statements).to.have.length(1);
    expect(result.more).to.be.a('string').and.not.equal('');
  });

  it('POST ?method=PUT with statementId, content, Authorization and version as form fields: 204, then stored', async () => {
    const id = uuid();
    const response = await alternate('/statements?method=PUT', {
      statementId: id,
      content: JSON.stringify(statement()),
      ...real(),
    });
    expect(response.status, await response.clone().text()).to.equal(204);
    const got = await fetch(`${lrs.base}/statements?statementId=${id}`, { headers: real() });
    expect(got.status).to.equal(200);
    const stored = (await got.json()) as Json;
    expect(stored.id).to.equal(id);
    expect(stored.object).to.deep.include({ id: ACTIVITY });
  });

  it('401 with a wrong Authorization form field', async () => {
    const id = uuid();
    const response = await alternate('/statements?method=PUT', {
      statementId: id,
      content: JSON.stringify(statement()),
      ...real(),
      Authorization: basicAuth('test-key', 'wrong-secret'),
    });
    expect(response.status).to.equal(401);
    expect(response.headers.get('www-authenticate')).to.match(/^Basic realm=/);
    expect(lrs.store.get(id)).to.equal(undefined);
  });

  for (const [version, field, why] of [
    ['0.8', 'X-Experience-API-Version', 'an unknown version'],
    ['2.0.0', 'method', 'xAPI 2.0 has no alternate syntax'],
  ] as const) {
    it(`400 with X-Experience-API-Version ${version} in the form (${why})`, async () => {
      const id = uuid();
      const response = await alternate('/statements?method=PUT', {
        statementId: id,
        content: JSON.stringify(statement()),
        ...real(version),
      });
      expect(response.status).to.equal(400);
      expect(await fieldOf(response)).to.equal(field);
      expect(lrs.store.get(id)).to.equal(undefined);
    });
  }

  it('400 with another query parameter besides method', async () => {
    const id = uuid();
    const response = await alternate(`/statements?method=PUT&statementId=${id}`, { content: JSON.stringify(statement()), ...real() }, real());
    expect(response.status).to.equal(400);
    expect(await fieldOf(response)).to.equal('statementId');
    expect(lrs.store.get(id)).to.equal(undefined);
  });

  it('400 when the body is not form-encoded (JSON sent as application/x-www-form-urlencoded)', async () => {
    const before = lrs.store.count();
    for (const method of ['POST', 'PUT', 'GET']) {
      const response = await fetch(`${lrs.base}/statements?method=${method}`, {
        method: 'POST',
        headers: { ...real(), 'Content-Type': FORM },
        body: JSON.stringify(statement()),
      });
      expect(response.status, method).to.equal(400);
    }
    expect(lrs.store.count()).to.equal(before);
  });

  it('400 for a form-encoded body without ?method= (Communication §3.2.s3.b6)', async () => {
    const response = await alternate('/statements', { content: JSON.stringify(statement()) }, real());
    expect(response.status).to.equal(400);
  });

  it('400 for PUT /statements?method=POST (the syntax is POST only)', async () => {
    const response = await fetch(`${lrs.base}/statements?method=POST`, {
      method: 'PUT',
      headers: { ...real(), 'Content-Type': FORM },
      body: new URLSearchParams({ content: JSON.stringify(statement()) }).toString(),
    });
    expect(response.status).to.equal(400);
    expect(await fieldOf(response)).to.equal('method');
  });

  it('400 for an unknown method', async () => {
    const response = await alternate('/statements?method=PATCH', { limit: '1' }, real());
    expect(response.status).to.equal(400);
    expect(await fieldOf(response)).to.equal('method');
  });

  it('400 for POST ?method=PUT with no content', async () => {
    const id = uuid();
    const response = await alternate('/statements?method=PUT', { statementId: id, ...real() });
    expect(response.status).to.equal(400);
    expect(lrs.store.get(id)).to.equal(undefined);
  });

  it('works on a document resource: State PUT with a Content-Type form field, then a normal GET', async () => {
    const params = { activityId: ACTIVITY, agent: AGENT, stateId: 'alt-state' };
    const document = { bookmark: 'card-3', score: 0.5 };
    const put = await alternate('/activities/state?method=PUT', {
      ...params,
      content: JSON.stringify(document),
      'Content-Type': 'application/json',
      ...real(),
    });
    expect(put.status, await put.clone().text()).to.equal(204);
    expect(put.headers.get('etag')).to.match(/^"[0-9a-f]{40}"$/);

    const got = await fetch(`${lrs.base}/activities/state?${new URLSearchParams(params)}`, { headers: real() });
    expect(got.status).to.equal(200);
    expect(got.headers.get('content-type')).to.equal('application/json');
    expect(got.headers.get('etag')).to.equal(put.headers.get('etag'));
    expect(await got.json()).to.deep.equal(document);
  });

  it('works on /agents: POST ?method=GET with form agent=… answers the Person', async () => {
    const response = await alternate('/agents?method=GET', { agent: AGENT }, real());
    expect(response.status, await response.clone().text()).to.equal(200);
    expect(await response.json()).to.deep.equal({
      objectType: 'Person',
      account: [{ homePage: 'https://academy.example', name: 'learner-1' }],
    });
  });
});
