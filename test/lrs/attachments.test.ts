import { expect } from 'chai';
import { X509Certificate, createHash, createHmac, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basicAuth, serveLrs, statement, uuid, type TestLrs } from './fixtures.js';

/**
 * Attachments over HTTP (xAPI 1.0.3 Data §2.4.11, Communication §1.5.2 multipart/mixed) and
 * signed statements (Data §2.6), as a client sees them.
 */

type Json = Record<string, unknown>;

const SIGNATURE = 'http://adlnet.gov/expapi/attachments/signature';
const USAGE = 'http://example.com/attachment-usage/test';
const BOUNDARY = 'xapi-test-boundary';
/** The boundary of the spec's example (Communication §1.5.2.s6): quoted, with every allowed character class. */
const SPEC_BOUNDARY = "abcABC0123'()+_,-./:=?";
/** Binary data that is not UTF-8 and holds a CRLF and a dash pair, to catch any text handling. */
const DATA = Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xc3, 0x28, 0xfe, 0xff, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);
const DIGESTS = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' } as const;

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function attachment(data: Buffer, extra: Json = {}): Json {
  return {
    usageType: USAGE,
    display: { 'en-US': 'A test attachment' },
    contentType: 'text/plain',
    length: data.length,
    sha2: sha256(data),
    ...extra,
  };
}

interface Part {
  headers: Record<string, string>;
  body: Buffer | string;
}

function jsonPart(json: unknown, contentType = 'application/json'): Part {
  return { headers: { 'Content-Type': contentType }, body: JSON.stringify(json) };
}

function dataPart(data: Buffer, headers: Record<string, string> = {}): Part {
  return {
    headers: {
      'Content-Type': 'text/plain',
      'Content-Transfer-Encoding': 'binary',
      'X-Experience-API-Hash': sha256(data),
      ...headers,
    },
    body: data,
  };
}

/** A multipart/mixed body (RFC 2046 §5.1.1); a header given as '' is left out. */
function multipart(parts: Part[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const head = Object.entries(part.headers)
      .filter(([, value]) => value !== '')
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n`));
    chunks.push(typeof part.body === 'string' ? Buffer.from(part.body) : part.body, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

interface ReceivedPart {
  headers: Map<string, string>;
  body: Buffer;
}

/** Reads a multipart/mixed response on its own (independently of src/lrs/multipart.ts). */
async function readMultipart(response: Response): Promise<ReceivedPart[]> {
  const contentType = response.headers.get('content-type') ?? '';
  const match = /^multipart\/mixed;\s*boundary="?([^";]+)"?$/.exec(contentType);
  if (match === null) throw new Error(`not multipart/mixed with a boundary: ${contentType}`);
  const text = Buffer.concat([Buffer.from('\r\n'), Buffer.from(await response.arrayBuffer())]);
  const delimiter = Buffer.from(`\r\n--${match[1]}`);
  const parts: ReceivedPart[] = [];
  let at = text.indexOf(delimiter);
  expect(at, 'first delimiter').to.be.at.least(0);
  for (;;) {
    const start = at + delimiter.length;
    if (text.subarray(start, start + 2).toString('latin1') === '--') return parts;
    expect(text.subarray(start, start + 2).toString('latin1'), 'CRLF after a delimiter').to.equal('\r\n');
    const next = text.indexOf(delimiter, start + 2);
    expect(next, 'closing delimiter').to.be.at.least(0);
    const content = text.subarray(start + 2, next);
    const end = content.indexOf('\r\n\r\n');
    const headers = new Map<string, string>();
    for (const line of content.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    parts.push({ headers, body: content.subarray(end + 4) });
    at = next;
  }
}

function base64url(json: unknown): string {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

/** A JWS compact serialization (RFC 7515 §7.1) signed with RSASSA-PKCS1-v1_5. */
function rsaJws(header: Json & { alg: keyof typeof DIGESTS }, payloadSegment: string, key: KeyObject): string {
  const input = `${base64url(header)}.${payloadSegment}`;
  return `${input}.${sign(DIGESTS[header.alg], Buffer.from(input), key).toString('base64url')}`;
}

function signatureAttachment(jws: string, contentType = 'application/octet-stream'): Json {
  return {
    usageType: SIGNATURE,
    display: { 'en-US': 'Signature' },
    contentType,
    length: Buffer.byteLength(jws),
    sha2: sha256(jws),
  };
}

describe('lrs/attachments (multipart/mixed and signed statements over HTTP)', () => {
  let lrs: TestLrs;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  before(async () => {
    lrs = await serveLrs();
  });

  after(() => lrs.close());

  function request(method: string, query: string, body?: Buffer | string, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = { Authorization: basicAuth(), 'X-Experience-API-Version': '1.0.3' };
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    lrs.clock.advance(1000);
    const payload = body === undefined || typeof body === 'string' ? body : new Uint8Array(body);
    return fetch(`${lrs.base}/statements${query}`, { method, headers, body: payload });
  }

  function send(parts: Part[], { method = 'POST', query = '', boundary = BOUNDARY } = {}): Promise<Response> {
    const quoted = /^[A-Za-z0-9-]+$/.test(boundary) ? boundary : `"${boundary}"`;
    return request(method, query, multipart(parts, boundary), `multipart/mixed; boundary=${quoted}`);
  }

  function getStatement(id: string, attachments?: boolean): Promise<Response> {
    const flag = attachments === undefined ? '' : `&attachments=${String(attachments)}`;
    return request('GET', `?statementId=${id}${flag}`);
  }

  /** A 400 naming `field` with a message containing `message`, and none of `ids` stored. */
  async function expectRejected(response: Response, ids: string[], field: string | undefined, message: string): Promise<void> {
    const body = (await response.json()) as { error: string; field?: string };
    expect(response.status, body.error).to.equal(400);
    expect(body.field).to.equal(field);
    expect(body.error).to.contain(message);
    for (const id of ids) expect((await getStatement(id)).status, `GET ${id} after the 400`).to.equal(404);
  }

  async function expectOk(response: Response, status = 200): Promise<void> {
    expect(response.status, await response.clone().text()).to.equal(status);
  }

  describe('multipart/mixed statements with attachment data', () => {
    it('POST stores the data, GET attachments=true sends it back byte for byte, otherwise JSON', async () => {
      const id = uuid();
      const sent = statement({ id, attachments: [attachment(DATA)] });
      const response = await send([jsonPart(sent), dataPart(DATA)], { boundary: SPEC_BOUNDARY });
      await expectOk(response);
      expect(await response.json()).to.deep.equal([id]);

      const withData = await getStatement(id, true);
      expect(withData.status).to.equal(200);
      expect(withData.headers.get('content-type')).to.match(/^multipart\/mixed; boundary=\S+$/);
      const [first, second, ...rest] = await readMultipart(withData);
      expect(rest).to.have.length(0);
      expect(first.headers.get('content-type')).to.equal('application/json');
      const got = JSON.parse(first.body.toString('utf8')) as Json;
      expect(got.id).to.equal(id);
      expect(got.attachments).to.deep.equal(sent.attachments);
      expect(second.headers.get('content-type')).to.equal('text/plain');
      expect(second.headers.get('content-transfer-encoding')).to.equal('binary');
      expect(second.headers.get('x-experience-api-hash')).to.equal(sha256(DATA));
      expect(second.body.equals(DATA), second.body.toString('hex')).to.equal(true);

      for (const flag of [undefined, false]) {
        const plain = await getStatement(id, flag);
        expect(plain.status).to.equal(200);
        expect(plain.headers.get('content-type')).to.match(/^application\/json/);
        expect(((await plain.json()) as Json).attachments).to.deep.equal(sent.attachments);
      }
    });

    it('a query with attachments=true sends the StatementResult and shared data once', async () => {
      const verb = `http://example.com/verbs/attached-${uuid()}`;
      const data = Buffer.from([0xff, 0x00, 0xfe, 0x01, 0x80]);
      const batch = [1, 2].map(() =>
        statement({ id: uuid(), verb: { id: verb, display: { 'en-US': 'attached' } }, attachments: [attachment(data)] }),
      );
      await expectOk(await send([jsonPart(batch), dataPart(data)]));

      const response = await request('GET', `?verb=${encodeURIComponent(verb)}&attachments=true`);
      expect(response.status).to.equal(200);
      const [first, ...rest] = await readMultipart(response);
      const result = JSON.parse(first.body.toString('utf8')) as { statements: Json[]; more: string };
      expect(result.statements.map((s) => s.id)).to.have.members(batch.map((s) => s.id));
      expect(result.more).to.equal('');
      expect(rest).to.have.length(1);
      expect(rest[0].headers.get('x-experience-api-hash')).to.equal(sha256(data));
      expect(rest[0].body.equals(data)).to.equal(true);
    });

    it('PUT ?statementId= accepts multipart/mixed the same way (204)', async () => {
      const id = uuid();
      await expectOk(await send([jsonPart(statement({ attachments: [attachment(DATA)] })), dataPart(DATA)], { method: 'PUT', query: `?statementId=${id}` }), 204);
      const parts = await readMultipart(await getStatement(id, true));
      expect(parts).to.have.length(2);
      expect((JSON.parse(parts[0].body.toString('utf8')) as Json).id).to.equal(id);
      expect(parts[1].body.equals(DATA)).to.equal(true);
    });

    it('accepts SHA-224 and SHA-512 hashes, in hex or base64', async () => {
      for (const [algorithm, encoding] of [['sha224', 'hex'], ['sha512', 'hex'], ['sha256', 'base64']] as const) {
        const data = Buffer.from(`data hashed with ${algorithm} as ${encoding}`);
        const hash = createHash(algorithm).update(data).digest(encoding);
        const id = uuid();
        const sent = statement({ id, attachments: [attachment(data, { sha2: hash })] });
        await expectOk(await send([jsonPart(sent), dataPart(data, { 'X-Experience-API-Hash': hash })]));
        const [, part] = await readMultipart(await getStatement(id, true));
        expect(part.body.equals(data), `${algorithm} ${encoding}`).to.equal(true);
      }
    });
  });

  describe('rejected requests: 400 and nothing stored', () => {
    it('a multipart/mixed Content-Type without a boundary parameter', async () => {
      const id = uuid();
      const body = multipart([jsonPart(statement({ id, attachments: [attachment(DATA)] })), dataPart(DATA)]);
      await expectRejected(await request('POST', '', body, 'multipart/mixed'), [id], 'Content-Type', 'boundary');
    });

    it('a first part that is not application/json', async () => {
      const id = uuid();
      const parts = [jsonPart(statement({ id, attachments: [attachment(DATA)] }), 'text/plain'), dataPart(DATA)];
      await expectRejected(await send(parts), [id], 'Content-Type', 'first multipart part');
    });

    it('a part without X-Experience-API-Hash', async () => {
      const id = uuid();
      const parts = [jsonPart(statement({ id, attachments: [attachment(DATA)] })), dataPart(DATA, { 'X-Experience-API-Hash': '' })];
      await expectRejected(await send(parts), [id], 'X-Experience-API-Hash', 'multipart part 2 must have an X-Experience-API-Hash');
    });

    it('a part whose X-Experience-API-Hash is not the SHA-2 of its data', async () => {
      const id = uuid();
      const wrong = sha256('other data');
      const parts = [
        jsonPart(statement({ id, attachments: [attachment(DATA, { sha2: wrong })] })),
        dataPart(DATA, { 'X-Experience-API-Hash': wrong }),
      ];
      await expectRejected(await send(parts), [id], 'X-Experience-API-Hash', 'not the SHA-2 of its data');
    });

    it('a part with Content-Transfer-Encoding: base64', async () => {
      const id = uuid();
      const part: Part = { ...dataPart(DATA, { 'Content-Transfer-Encoding': 'base64' }), body: DATA.toString('base64') };
      const parts = [jsonPart(statement({ id, attachments: [attachment(DATA)] })), part];
      await expectRejected(await send(parts), [id], 'Content-Transfer-Encoding', 'Content-Transfer-Encoding: binary');
    });

    it('an attachment without fileUrl and without a part', async () => {
      const id = uuid();
      await expectRejected(
        await send([jsonPart(statement({ id, attachments: [attachment(DATA)] }))]),
        [id],
        'attachments[0]',
        'statement.attachments[0] has no fileUrl and no multipart part',
      );
    });

    it('a part that no attachment declares', async () => {
      const id = uuid();
      const extra = Buffer.from([0x00, 0x99, 0xff]);
      const parts = [jsonPart(statement({ id, attachments: [attachment(DATA)] })), dataPart(DATA), dataPart(extra)];
      await expectRejected(await send(parts), [id], 'X-Experience-API-Hash', `multipart part ${sha256(extra)} is not the data of any attachment`);
    });

    it('application/json with an attachment that has no fileUrl (and is accepted with one)', async () => {
      const id = uuid();
      const body = JSON.stringify(statement({ id, attachments: [attachment(DATA)] }));
      await expectRejected(await request('POST', '', body, 'application/json'), [id], 'attachments[0]', 'has no fileUrl: send its data as multipart/mixed');

      const withUrl = attachment(DATA, { fileUrl: 'https://example.com/files/data.bin' });
      await expectOk(await request('POST', '', JSON.stringify(statement({ id, attachments: [withUrl] })), 'application/json'));
    });

    it('a batch whose second statement has a bad attachment stores nothing of the batch', async () => {
      const good = uuid();
      const bad = uuid();
      const data = Buffer.from([0x10, 0xee, 0x00, 0xc0]);
      const missing = Buffer.from([0x42]);
      const batch = [statement({ id: good, attachments: [attachment(data)] }), statement({ id: bad, attachments: [attachment(missing)] })];
      await expectRejected(await send([jsonPart(batch), dataPart(data)]), [good, bad], 'statements[1].attachments[0]', 'has no fileUrl and no multipart part');

      // The first statement's data was not kept either: a statement that only refers to it by
      // fileUrl gets no data part back.
      const later = uuid();
      const byUrl = attachment(data, { fileUrl: 'https://example.com/files/data.bin' });
      await expectOk(await request('POST', '', JSON.stringify(statement({ id: later, attachments: [byUrl] })), 'application/json'));
      expect(await readMultipart(await getStatement(later, true))).to.have.length(1);
    });
  });

  describe('signed statements (Data §2.6)', () => {
    /** A statement with an id, a result duration and no attachments: what gets signed. */
    function unsignedStatement(extra: Json = {}): Json {
      return statement({ id: uuid(), result: { completion: true, duration: 'PT1.23S' }, ...extra });
    }

    function sendSigned(body: Json, jws: string, contentType?: string): Promise<Response> {
      const signed = { ...body, attachments: [signatureAttachment(jws, contentType)] };
      return send([jsonPart(signed), dataPart(Buffer.from(jws), { 'Content-Type': contentType ?? 'application/octet-stream' })]);
    }

    for (const alg of ['RS256', 'RS384', 'RS512'] as const) {
      it(`accepts a JWS signed with ${alg} and sends it back with attachments=true`, async () => {
        const body = unsignedStatement();
        const jws = rsaJws({ alg }, base64url(body), privateKey);
        await expectOk(await sendSigned(body, jws));

        const [first, second, ...rest] = await readMultipart(await getStatement(String(body.id), true));
        expect(rest).to.have.length(0);
        const stored = JSON.parse(first.body.toString('utf8')) as Json;
        expect(stored.attachments).to.deep.equal([signatureAttachment(jws)]);
        expect(second.headers.get('content-type')).to.equal('application/octet-stream');
        expect(second.headers.get('x-experience-api-hash')).to.equal(sha256(jws));
        expect(second.body.toString('latin1')).to.equal(jws);
      });
    }

    it('refuses alg HS256', async () => {
      const body = unsignedStatement();
      const input = `${base64url({ alg: 'HS256' })}.${base64url(body)}`;
      const jws = `${input}.${createHmac('sha256', 'a shared secret').update(input).digest('base64url')}`;
      await expectRejected(await sendSigned(body, jws), [String(body.id)], 'attachments[0]', 'RS256, RS384 or RS512 (got HS256)');
    });

    it('refuses a payload that is another statement (other verb)', async () => {
      const body = unsignedStatement();
      const other = { ...body, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'en-US': 'attempted' } } };
      const jws = rsaJws({ alg: 'RS256' }, base64url(other), privateKey);
      await expectRejected(await sendSigned(body, jws), [String(body.id)], 'attachments[0]', 'does not match the statement');
    });

    it('refuses a payload that is not JSON', async () => {
      const body = unsignedStatement();
      const jws = rsaJws({ alg: 'RS256' }, Buffer.from('not { json').toString('base64url'), privateKey);
      await expectRejected(await sendSigned(body, jws), [String(body.id)], 'attachments[0]', 'payload is not the statement as JSON');
    });

    it('refuses a signature attachment whose contentType is not application/octet-stream', async () => {
      const body = unsignedStatement();
      const jws = rsaJws({ alg: 'RS256' }, base64url(body), privateKey);
      await expectRejected(await sendSigned(body, jws, 'text/plain'), [String(body.id)], 'attachments[0].contentType', 'application/octet-stream');
    });

    it('accepts a statement whose duration has more precision than the signed one (compared to 0.01 s)', async () => {
      const signedBody = unsignedStatement();
      const jws = rsaJws({ alg: 'RS256' }, base64url(signedBody), privateKey);
      const body: Json = { ...signedBody, result: { completion: true, duration: 'PT1.2345S' } };
      await expectOk(await sendSigned(body, jws));
      const stored = (await (await getStatement(String(body.id))).json()) as { result: Json };
      expect(stored.result.duration).to.equal('PT1.2345S');
    });

    describe('x5c (verified against the first certificate of the JWS header)', () => {
      const certificate = new X509Certificate(fixture('xapi-test-cert.pem'));
      const certificateKey = createPrivateKey(fixture('xapi-test-key.pem'));
      const x5c = [certificate.raw.toString('base64')];

      it('accepts a statement signed with the certificate key', async () => {
        const body = unsignedStatement();
        await expectOk(await sendSigned(body, rsaJws({ alg: 'RS256', x5c }, base64url(body), certificateKey)));
      });

      it('refuses a statement signed with another key than the x5c certificate', async () => {
        const body = unsignedStatement();
        const jws = rsaJws({ alg: 'RS256', x5c }, base64url(body), privateKey);
        await expectRejected(await sendSigned(body, jws), [String(body.id)], 'attachments[0]', 'x5c');
      });
    });
  });
});
