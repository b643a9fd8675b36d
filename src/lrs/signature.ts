/**
 * Signed statements (xAPI-Data.md §2.6): a statement may carry a JSON Web Signature as an
 * attachment with usageType `…/attachments/signature` and contentType application/octet-stream.
 * The LRS rejects (400) a signature that is not a JWS compact serialization, uses an algorithm other
 * than RS256 / RS384 / RS512, whose payload is not JSON, or whose payload does not match the
 * statement under the statement comparison rules (§2.3.1; durations to 0.01 s). When the JWS
 * header carries an X.509 certificate chain (`x5c`), the signature is verified against the first
 * certificate's public key. The signature itself is stored as the attachment's data.
 */
import { X509Certificate, verify } from 'node:crypto';
import { AcademyError } from '../errors.js';
import { statementsMatch } from './compare.js';
import { isRecord } from '../http/guards.js';

export const SIGNATURE_USAGE_TYPE = 'http://adlnet.gov/expapi/attachments/signature';
const SIGNATURE_CONTENT_TYPE = 'application/octet-stream';
const ALGORITHMS: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };
const BASE64URL = /^[A-Za-z0-9_-]*$/;

type JsonObject = Record<string, unknown>;

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

export function isSignatureAttachment(attachment: unknown): boolean {
  return isRecord(attachment) && attachment.usageType === SIGNATURE_USAGE_TYPE;
}

/** The statement without its signature attachments (and without `attachments` when none is left). */
function unsigned(statement: JsonObject): JsonObject {
  const { attachments, ...rest } = statement;
  if (!Array.isArray(attachments)) return rest;
  const others = attachments.filter((a) => !isSignatureAttachment(a));
  return others.length === 0 ? rest : { ...rest, attachments: others };
}

/**
 * Checks one signature attachment (`field` names it) of `statement`; `jws` is its data, or
 * undefined when it was only referenced by fileUrl (then only its metadata can be checked).
 */
export function checkSignature(statement: JsonObject, attachment: JsonObject, jws: Buffer | undefined, field: string): void {
  const fail = (why: string, at = field) => new AcademyError(400, `${field}: ${why}`, at);
  const contentType = typeof attachment.contentType === 'string' ? attachment.contentType : '';
  if (contentType.split(';')[0].trim().toLowerCase() !== SIGNATURE_CONTENT_TYPE || contentType.includes(';')) {
    throw fail(`a signature attachment must have contentType ${SIGNATURE_CONTENT_TYPE}`, `${field}.contentType`);
  }
  if (jws === undefined) return;

  const segments = jws.toString('latin1').trim().split('.');
  if (segments.length !== 3 || !segments.every((s) => BASE64URL.test(s)) || segments[2] === '') {
    throw fail('the signature is not a JSON Web Signature (compact serialization)');
  }
  const [headerPart, payloadPart, signaturePart] = segments;
  const header = decodeJson(headerPart);
  if (!isRecord(header)) throw fail('the JWS header is not a JSON object');
  const alg = header.alg;
  const digest = typeof alg === 'string' ? ALGORITHMS[alg] : undefined;
  if (digest === undefined) throw fail(`the JWS algorithm must be RS256, RS384 or RS512 (got ${String(alg)})`);

  const payload = decodeJson(payloadPart);
  if (!isRecord(payload)) throw fail('the JWS payload is not the statement as JSON');
  const signedId = payload.id;
  const id = statement.id;
  if (typeof signedId === 'string' && typeof id === 'string' && signedId.toLowerCase() !== id.toLowerCase()) {
    throw fail('the JWS payload is a statement with another id');
  }
  if (!statementsMatch(unsigned(payload), unsigned(statement))) {
    throw fail('the JWS payload does not match the statement');
  }

  const x5c = header.x5c;
  if (x5c === undefined) return;
  if (!Array.isArray(x5c) || x5c.length === 0 || typeof x5c[0] !== 'string') {
    throw fail('the JWS x5c header must be an array of base64 certificates');
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(x5c[0], 'base64'));
  } catch {
    throw fail('the first JWS x5c certificate cannot be read');
  }
  const valid = verify(
    digest,
    Buffer.from(`${headerPart}.${payloadPart}`),
    certificate.publicKey,
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!valid) throw fail('the signature does not verify against the x5c certificate');
}
