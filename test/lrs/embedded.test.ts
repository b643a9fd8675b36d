import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { createEmbeddedLrs, IN_PROCESS_HOME_PAGE } from '../../src/lrs/index.js';
import { CountingIds, ManualClock, statement } from './fixtures.js';

describe('lrs/index createEmbeddedLrs', () => {
  it('stores in process with its own authority, and serves the same store over HTTP', async () => {
    const clock = new ManualClock();
    const lrs = createEmbeddedLrs({ file: ':memory:', credentials: { key: 'k', secret: 's' }, clock, ids: new CountingIds() });
    const server = restify.createServer({ handleUncaughtExceptions: false });
    try {
      const [id] = lrs.storeStatements([statement()]);
      expect(id).to.equal('00000000-0000-4000-8000-000000000001');
      expect(lrs.store.get(id)?.authority).to.deep.equal({
        objectType: 'Agent',
        account: { homePage: IN_PROCESS_HOME_PAGE, name: 'k' },
      });
      expect(() => lrs.storeStatements([statement({ verb: {} })])).to.throw(/statements\[0\]\.verb\.id is required/);

      lrs.register(server, '/lrs', 2048);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const { port } = server.address() as AddressInfo;
      const headers = {
        Authorization: `Basic ${Buffer.from('k:s').toString('base64')}`,
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
      };
      const got = await fetch(`http://127.0.0.1:${port}/lrs/statements?statementId=${id}`, { headers });
      expect(got.status).to.equal(200);
      const big = await fetch(`http://127.0.0.1:${port}/lrs/statements`, {
        method: 'POST',
        headers,
        body: JSON.stringify(statement({ result: { response: 'x'.repeat(4096) } })),
      });
      expect(big.status).to.equal(413);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      lrs.close();
    }
  });
});
