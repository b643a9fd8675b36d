import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
import { basicAuth, rejection, serveLrs, type TestLrs } from './fixtures.js';

const ACTIVITY = 'https://academy.example.org/xapi/lessons/passwords';

/** xAPI 1.0.3 Communication §3.3: the version header of requests and responses. */
describe('lrs/versioning (X-Experience-API-Version)', () => {
  const servers: { name: string; defaultVersion?: '1.0.3' | '2.0.0'; expected: string }[] = [
    { name: 'registerLrsRoutes default', expected: '1.0.3' },
    { name: "defaultVersion: '2.0.0'", defaultVersion: '2.0.0', expected: '2.0.0' },
  ];

  for (const { name, defaultVersion, expected } of servers) {
    describe(name, () => {
      let lrs: TestLrs;

      before(async () => {
        lrs = await serveLrs(defaultVersion === undefined ? {} : { defaultVersion });
      });

      after(() => lrs.close());

      function get(path: string, version?: string): Promise<Response> {
        const headers: Record<string, string> = { Authorization: basicAuth() };
        if (version !== undefined) headers['X-Experience-API-Version'] = version;
        return fetch(`${lrs.base}${path}`, { headers });
      }

      it(`refuses a request without X-Experience-API-Version (400), answering in ${expected}`, async () => {
        for (const path of ['/statements', `/activities?activityId=${encodeURIComponent(ACTIVITY)}`]) {
          const response = await get(path);
          expect(response.status, path).to.equal(400);
          expect(response.headers.get('x-experience-api-version'), path).to.equal(expected);
          expect(await response.json()).to.include({ field: 'X-Experience-API-Version' });
        }
      });

      it(`answers an unsupported version (400) in ${expected}`, async () => {
        const response = await get('/statements', '0.95');
        expect(response.status).to.equal(400);
        expect(response.headers.get('x-experience-api-version')).to.equal(expected);
      });

      it('answers a 2.0.x request in 2.0.0 and a 1.0.x request in 1.0.3, whatever the default', async () => {
        for (const [sent, answered] of [
          ['2.0.0', '2.0.0'],
          ['2.0', '2.0.0'],
          ['1.0.3', '1.0.3'],
          ['1.0', '1.0.3'],
        ]) {
          const ok = await get('/statements', sent);
          expect(ok.status, sent).to.equal(200);
          expect(ok.headers.get('x-experience-api-version'), sent).to.equal(answered);
          // Errors after the version check answer in the request's version too.
          const missing = await get('/statements?statementId=00000000-0000-4000-8000-000000000000', sent);
          expect(missing.status, sent).to.equal(404);
          expect(missing.headers.get('x-experience-api-version'), sent).to.equal(answered);
        }
      });

      it('lists both versions on /about', async () => {
        const response = await fetch(`${lrs.base}/about`);
        expect(response.status).to.equal(200);
        expect(await response.json()).to.deep.equal({ version: ['1.0.3', '2.0.0'] });
      });
    });
  }

  describe('configuration', () => {
    it('accepts EMBEDDED_LRS_DEFAULT_VERSION 1.0.3 (the default) and 2.0.0', () => {
      expect(loadConfig({}, '/srv/academy').embeddedLrs.defaultVersion).to.equal('1.0.3');
      expect(loadConfig({ EMBEDDED_LRS_DEFAULT_VERSION: '2.0.0' }, '/srv/academy').embeddedLrs.defaultVersion).to.equal('2.0.0');
    });

    it('refuses EMBEDDED_LRS_DEFAULT_VERSION=1.0, naming the variable', () => {
      const error = rejection(() => loadConfig({ EMBEDDED_LRS_DEFAULT_VERSION: '1.0' }, '/srv/academy'));
      expect(error.field).to.equal('EMBEDDED_LRS_DEFAULT_VERSION');
      expect(error.message).to.contain('EMBEDDED_LRS_DEFAULT_VERSION');
    });
  });
});
