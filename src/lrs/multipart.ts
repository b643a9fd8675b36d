/**
 * multipart/mixed bodies of the Statement Resource (xAPI-Communication.md §1.5.2, RFC 2046 §5.1):
 * the first part is the statement(s) as application/json, every further part one attachment's
 * raw data with `Content-Transfer-Encoding: binary` and `X-Experience-API-Hash: <sha2>`.
 *
 * `parseMultipart` reads a request body into that shape; `buildMultipart` writes a GET response
 * (`attachments=true`). Every rule broken is a 400 naming what was wrong.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AcademyError } from '../errors.js';

/** One attachment's data from a multipart body. */
export interface AttachmentPart {
  /** The SHA-2 hash of the data as lowercase hex (the part's X-Experience-API-Hash, normalized). */
  sha2: string;
  contentType: string;
  data: Buffer;
}

export interface MultipartStatements {
  /** The parsed first part. */
  json: unknown;
  parts: AttachmentPart[];
}

const CRLF = Buffer.from('\r\n');

function bad(message: string, field = 'body'): AcademyError {
  return new AcademyError(400, message, field);
}

/** The `boundary` parameter of a multipart Content-Type header (RFC 2046 §5.1.1). */
export function boundaryOf(contentType: string): string {
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined || boundary.length > 70) {
    throw bad('multipart/mixed needs a boundary parameter (1–70 characters) in Content-Type', 'Content-Type');
  }
  return boundary;
}

/** A SHA-2 hash as lowercase hex, whether it was sent as hex or as base64. */
export function normalizeSha2(sha2: string): string {
  const value = sha2.trim();
  if (/^[0-9a-f]+$/i.test(value)) return value.toLowerCase();
  return Buffer.from(value, 'base64').toString('hex');
}

/** True when `sha2` (hex or base64; SHA-224, -256, -384 or -512) is the SHA-2 of `data`. */
export function sha2Matches(data: Buffer, sha2: string): boolean {
  const hex = normalizeSha2(sha2);
  const algorithm = { 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' }[hex.length];
  if (algorithm === undefined) return false;
  return createHash(algorithm).update(data).digest('hex') === hex;
}

interface RawPart {
  headers: Map<string, string>;
  body: Buffer;
}

/** Header lines of one part, names lowercased; a line without a colon is a 400. */
function parseHeaders(block: string, index: number): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw bad(`multipart part ${index + 1} has a malformed header line`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Splits the body at its delimiters; the preamble and epilogue are ignored (RFC 2046 §5.1.1). */
function splitParts(body: Buffer, boundary: string): RawPart[] {
  // Prefixing CRLF lets a delimiter at the very start be found like every other one.
  const text = Buffer.concat([CRLF, body]);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const parts: RawPart[] = [];
  let at = text.indexOf(delimiter);
  if (at < 0) throw bad('the multipart body has no boundary delimiter');
  for (;;) {
    let cursor = at + delimiter.length;
    if (text.subarray(cursor, cursor + 2).toString('latin1') === '--') return parts;
    // Transport padding, then the CRLF ending the delimiter line.
    while (text[cursor] === 0x20 || text[cursor] === 0x09) cursor += 1;
    if (text.subarray(cursor, cursor + 2).toString('latin1') !== '\r\n') {
      throw bad('a multipart boundary delimiter is not followed by a line break');
    }
    cursor += 2;
    const next = text.indexOf(delimiter, cursor);
    if (next < 0) throw bad('the multipart body does not end with the closing boundary delimiter');
    const content = text.subarray(cursor, next);
    // Headers end at the first empty line; a part that starts with CRLF has none.
    const end = content.subarray(0, 2).equals(CRLF) ? 0 : content.indexOf('\r\n\r\n');
    if (end < 0) throw bad(`multipart part ${parts.length + 1} has no blank line after its headers`);
    parts.push({
      headers: parseHeaders(content.subarray(0, end).toString('latin1'), parts.length),
      body: content.subarray(end === 0 ? 2 : end + 4),
    });
    at = next;
  }
}

function mediaTypeOf(value: string | undefined): string {
  return (value ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Parses a multipart/mixed Statement Resource body: the first part must be application/json;
 * each further part must say `Content-Transfer-Encoding: binary` and carry an
 * `X-Experience-API-Hash` equal to the SHA-2 of its data.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartStatements {
  const parts = splitParts(body, boundaryOf(contentType));
  if (parts.length === 0) throw bad('the multipart body has no parts');
  const [first, ...rest] = parts;
  if (mediaTypeOf(first.headers.get('content-type')) !== 'application/json') {
    throw bad('the first multipart part must be the statements, with Content-Type application/json', 'Content-Type');
  }
  let json: unknown;
  try {
    json = JSON.parse(first.body.toString('utf8'));
  } catch {
    throw bad('the first multipart part is not valid JSON');
  }
  const attachments = rest.map((part, i): AttachmentPart => {
    const name = `multipart part ${i + 2}`;
    const encoding = part.headers.get('content-transfer-encoding');
    if (encoding?.toLowerCase() !== 'binary') {
      throw bad(`${name} must have Content-Transfer-Encoding: binary`, 'Content-Transfer-Encoding');
    }
    const header = part.headers.get('x-experience-api-hash');
    if (header === undefined || header === '') {
      throw bad(`${name} must have an X-Experience-API-Hash header`, 'X-Experience-API-Hash');
    }
    const hash = normalizeSha2(header);
    if (!sha2Matches(part.body, hash)) {
      throw bad(`${name}: X-Experience-API-Hash is not the SHA-2 of its data`, 'X-Experience-API-Hash');
    }
    const type = part.headers.get('content-type');
    if (type === undefined || type === '') throw bad(`${name} must have a Content-Type`, 'Content-Type');
    return { sha2: hash, contentType: type, data: part.body };
  });
  return { json, parts: attachments };
}

/** A multipart/mixed response: the JSON first, then each attachment's data. */
export function buildMultipart(json: unknown, parts: readonly AttachmentPart[]): { contentType: string; body: Buffer } {
  const boundary = randomBytes(16).toString('hex');
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}`),
  ];
  for (const part of parts) {
    chunks.push(
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Type: ${part.contentType}\r\nContent-Transfer-Encoding: binary\r\n` +
          `X-Experience-API-Hash: ${part.sha2}\r\n\r\n`,
      ),
      part.data,
    );
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
