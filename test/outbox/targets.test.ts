import { expect } from 'chai';
import { createEmbeddedLrs } from '../../src/lrs/index.js';
import { embeddedTarget, httpTarget } from '../../src/outbox/targets.js';
import { systemClock } from '../../src/ports.js';
import { learnerStatement, startHttpStub, voidingUnknown } from './helpers.js';

describe('outbox targets', () => {
  describe('an external LRS over HTTP (the xAPI client)', () => {
    type Stub = Awaited<ReturnType<typeof startHttpStub>>;
    let stub: Stub | undefined;
    afterEach(async () => {
      await stub?.close();
      stub = undefined;
    });

    async function answering(status: number, body: string, headers: Record<string, string> = {}) {
      stub = await startHttpStub((_req, _body, res) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(body);
      });
      return httpTarget({ endpoint: stub.url, key: 'outbox-key', secret: 'outbox-secret-123', version: '1.0.3', timeoutMs: 5000, clock: systemClock });
    }

    it('POSTs the batch to <endpoint>/statements with Basic auth and the version header', async () => {
      stub = await startHttpStub((_req, _body, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('[]');
      });
      const target = httpTarget({ endpoint: stub.url, key: 'outbox-key', secret: 'outbox-secret-123', version: '2.0.0', timeoutMs: 5000, clock: systemClock });
      const batch = [learnerStatement('2026-03-01T10:00:00.000Z'), learnerStatement('2026-03-01T10:00:01.000Z')];
      expect(await target.deliver(batch)).to.deep.equal({ kind: 'delivered', status: 200 });
      const [request] = stub.requests;
      expect(request.headers.authorization).to.equal(`Basic ${Buffer.from('outbox-key:outbox-secret-123').toString('base64')}`);
      expect(request.headers['x-experience-api-version']).to.equal('2.0.0');
      expect(JSON.parse(request.body)).to.deep.equal(batch);
    });

    it('treats 409 Conflict and "already stored" as delivered', async () => {
      let target = await answering(409, '{"error":"statement id already exists"}');
      expect(await target.deliver([learnerStatement('2026-03-01T10:00:00.000Z')])).to.include({ kind: 'delivered', status: 409 });
      await stub?.close();
      target = await answering(400, '{"message":"Statement 6c1e… has already been stored"}');
      expect(await target.deliver([learnerStatement('2026-03-01T10:00:00.000Z')])).to.include({ kind: 'delivered', status: 400 });
    });

    it('gives up on 400 and 403 with the LRS\'s reason', async () => {
      let target = await answering(400, '{"error":"statement.verb.id must be an IRI","field":"verb.id"}');
      expect(await target.deliver([learnerStatement('2026-03-01T10:00:00.000Z')])).to.deep.equal({
        kind: 'rejected',
        status: 400,
        reason: '400: statement.verb.id must be an IRI',
      });
      await stub?.close();
      target = await answering(403, 'This key may not write statements');
      expect(await target.deliver([learnerStatement('2026-03-01T10:00:00.000Z')])).to.deep.equal({
        kind: 'rejected',
        status: 403,
        reason: '403: This key may not write statements',
      });
    });

    it('retries 429 and 503 after their Retry-After, and 500 with backoff', async () => {
      let target = await answering(429, '{"error":"slow down"}', { 'Retry-After': '7' });
      expect(await target.deliver([learnerStatement('2026-03-01T10:00:00.000Z')])).to.deep.include({ kind: 'retry', status: 429, retryAfterMs: 7000 });
      await stub?.close();
      target = await answering(503, '', { 'Retry-After': '2' });
      expect(await target.deliver([learnerStatement('2026-03-01T10:00:00.000Z')])).to.deep.include({ kind: 'retry', status: 503, retryAfterMs: 2000 });
      await stub?.close();
      target = await answering(500, 'boom');
      const outcome = await target.deliver([learnerStatement('2026-03-01T10:00:00.000Z')]);
      expect(outcome).to.deep.include({ kind: 'retry', status: 500 });
      expect(outcome).not.to.have.property('retryAfterMs');
    });

    it('retries when nothing answers (refused or dropped connection)', async () => {
      stub = await startHttpStub((req) => req.socket.destroy());
      const dropped = httpTarget({ endpoint: stub.url, key: 'k', secret: 'secret-secret', version: '1.0.3', timeoutMs: 5000, clock: systemClock });
      const outcome = await dropped.deliver([learnerStatement('2026-03-01T10:00:00.000Z')]);
      expect(outcome.kind).to.equal('retry');
      const url = stub.url;
      await stub.close();
      stub = undefined;
      const refused = httpTarget({ endpoint: url, key: 'k', secret: 'secret-secret', version: '1.0.3', timeoutMs: 5000, clock: systemClock });
      const again = await refused.deliver([learnerStatement('2026-03-01T10:00:00.000Z')]);
      expect(again.kind).to.equal('retry');
      expect(again.kind === 'retry' && again.reason).to.contain('no answer from');
    });
  });

  describe('the embedded LRS in process', () => {
    it('stores a batch; the same ids again are a no-op; a refused statement comes back with the reason', async () => {
      const lrs = createEmbeddedLrs({ file: ':memory:', credentials: { key: 'k', secret: 'secret-secret' }, clock: systemClock, store: { requireVoidTarget: true } }); // refuses voiding an unknown statement: a 400 to test with
      const target = embeddedTarget(lrs);
      const batch = [learnerStatement('2026-03-01T10:00:00.000Z'), learnerStatement('2026-03-01T10:00:01.000Z')];
      expect((await target.deliver(batch)).kind).to.equal('delivered');
      expect((await target.deliver(batch)).kind).to.equal('delivered');
      expect(lrs.store.count()).to.equal(2);
      const refused = await target.deliver([voidingUnknown('2026-03-01T10:00:02.000Z')]);
      expect(refused).to.deep.include({ kind: 'rejected', status: 400 });
      expect(refused.kind === 'rejected' && refused.reason).to.contain('cannot be voided');
      lrs.close();
    });
  });
});
