/**
 * The document resources' handlers (Communication §2.3, §2.4, §2.7): State, Activity Profile and
 * Agent Profile — PUT, POST (JSON merge), GET / HEAD (one document or the ids) and DELETE, with
 * ETags and the If-Match / If-None-Match rules (§3.1).
 */
import type { IncomingMessage } from 'node:http';
import { AcademyError } from '../../errors.js';
import { isRecord } from '../../http/guards.js';
import type { Handler } from '../dispatch.js';
import { agentKey, type DocumentKey, type DocumentKind, type DocumentStore, type StoredDocument } from '../documentStore.js';
import { isIri, isTimestamp, isUuid } from '../formats.js';
import { commonHeaders, readBody, responseVersion, sendEmpty, sendXapiJson } from '../http.js';
import type { Actor } from '../types.js';
import { validateAgentParameter } from '../validate.js';

const KNOWN: Record<DocumentKind, readonly string[]> = {
  state: ['activityId', 'agent', 'registration', 'stateId', 'since'],
  'activity-profile': ['activityId', 'profileId', 'since'],
  'agent-profile': ['agent', 'profileId', 'since'],
};

function params(req: IncomingMessage, kind: DocumentKind): Map<string, string> {
  const url = new URL(req.url ?? '/', 'http://lrs.invalid');
  const out = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (!KNOWN[kind].includes(name)) throw new AcademyError(400, `unknown parameter ${name}`, name);
    if (out.has(name)) throw new AcademyError(400, `parameter ${name} is given more than once`, name);
    out.set(name, value);
  }
  return out;
}

function required(p: Map<string, string>, name: string): string {
  const value = p.get(name);
  if (value === undefined || value === '') throw new AcademyError(400, `${name} is required`, name);
  return value;
}

function activityId(p: Map<string, string>): string {
  const value = required(p, 'activityId');
  if (!isIri(value)) throw new AcademyError(400, 'activityId must be an IRI', 'activityId');
  return value;
}

function agentParam(p: Map<string, string>): Actor {
  return validateAgentParameter(required(p, 'agent'));
}

/** The document key without its id; `idName` is stateId or profileId. */
function baseKey(kind: DocumentKind, p: Map<string, string>): Omit<DocumentKey, 'id'> {
  if (kind === 'state') {
    const registration = p.get('registration');
    if (registration !== undefined && !isUuid(registration)) {
      throw new AcademyError(400, 'registration must be a UUID', 'registration');
    }
    return {
      kind,
      scope: activityId(p),
      agent: agentKey(agentParam(p)),
      registration: registration?.toLowerCase() ?? '',
    };
  }
  if (kind === 'activity-profile') return { kind, scope: activityId(p), agent: '', registration: '' };
  return { kind, scope: agentKey(agentParam(p)), agent: '', registration: '' };
}

function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? 'application/octet-stream').trim();
}

function isJsonType(type: string): boolean {
  return type.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function etagList(header: string): string[] {
  return header.split(',').map((t) => t.trim().replace(/^W\//, ''));
}

/** If-Match / If-None-Match (Communication §3.1): 412 on mismatch. */
function checkPreconditions(req: IncomingMessage, existing: StoredDocument | undefined): boolean {
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  const quoted = existing ? `"${existing.etag}"` : undefined;
  if (ifMatch !== undefined) {
    const tags = etagList(ifMatch);
    if (!existing || !(tags.includes('*') || (quoted !== undefined && tags.includes(quoted)))) {
      throw new AcademyError(412, 'If-Match does not match the current document');
    }
  }
  if (ifNoneMatch !== undefined) {
    const tags = etagList(ifNoneMatch);
    if (existing && (tags.includes('*') || (quoted !== undefined && tags.includes(quoted)))) {
      throw new AcademyError(412, 'If-None-Match matches the current document');
    }
  }
  return ifMatch !== undefined || ifNoneMatch !== undefined;
}

function parseObject(content: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(content.toString('utf8'));
  } catch {
    throw new AcademyError(400, `${what} is not valid JSON`);
  }
  if (!isRecord(value)) throw new AcademyError(400, `${what} must be a JSON object to be merged`);
  return value;
}

function parseJsonOrFail(body: Buffer): void {
  try {
    JSON.parse(body.toString('utf8'));
  } catch {
    throw new AcademyError(400, 'the document is not valid JSON (Content-Type: application/json)');
  }
}

/** One document resource: its kind and the name of its id parameter. */
export interface DocumentResource {
  readonly kind: DocumentKind;
  readonly idName: string;
  readonly documents: DocumentStore;
  readonly maxBodyBytes: number;
}

function documentKey(r: DocumentResource, p: Map<string, string>): DocumentKey {
  return { ...baseKey(r.kind, p), id: required(p, r.idName) };
}

/** PUT (`merge` false) or POST (`merge` true, JSON objects merged) of one document. */
export function writeDocument(r: DocumentResource, merge: boolean): Handler {
  return async (req, res) => {
    const p = params(req, r.kind);
    const docKey = documentKey(r, p);
    if (p.has('since')) throw new AcademyError(400, 'since is only for GET', 'since');
    const body = await readBody(req, res, r.maxBodyBytes);
    const type = contentTypeOf(req);
    const existing = r.documents.get(docKey);
    const conditional = checkPreconditions(req, existing);
    if (!merge) {
      // xAPI 2.0.0 extends the 409 rule (Communication §3.1) to the State Resource.
      if (existing && !conditional && (r.kind !== 'state' || responseVersion(res) === '2.0.0')) {
        throw new AcademyError(409, 'the document exists: GET it, then PUT with If-Match set to its ETag');
      }
      // A client MUST send If-Match or If-None-Match on a profile PUT (Communication §3.1.s3.b1).
      if (!existing && !conditional && r.kind !== 'state') {
        throw new AcademyError(400, 'PUT to a profile needs If-Match or If-None-Match: * (Communication 3.1)');
      }
    }
    if (!merge || !existing) {
      if (isJsonType(type)) parseJsonOrFail(body);
      const stored = r.documents.put(docKey, type, body);
      sendEmpty(res, 204, { ETag: `"${stored.etag}"` });
      return;
    }
    if (!isJsonType(type) || !isJsonType(existing.contentType)) {
      throw new AcademyError(400, 'POST merges JSON documents only: both must be application/json');
    }
    const merged = { ...parseObject(existing.content, 'the stored document'), ...parseObject(body, 'the document') };
    const stored = r.documents.put(docKey, 'application/json', Buffer.from(JSON.stringify(merged)));
    sendEmpty(res, 204, { ETag: `"${stored.etag}"` });
  };
}

/** GET / HEAD: one document by id, or the ids of the documents (changed `since`). */
export function getDocument(r: DocumentResource): Handler {
  return (req, res) => {
    const p = params(req, r.kind);
    const head = req.method === 'HEAD';
    if (p.has(r.idName)) {
      if (p.has('since')) throw new AcademyError(400, `since cannot be combined with ${r.idName}`, 'since');
      const doc = r.documents.get(documentKey(r, p));
      if (!doc) throw new AcademyError(404, `no document ${p.get(r.idName) ?? ''}`, r.idName);
      const headers = {
        'Content-Type': doc.contentType,
        ETag: `"${doc.etag}"`,
        'Last-Modified': new Date(doc.updated).toUTCString(),
        'Content-Length': String(doc.content.length),
        // A document is whatever a client stored: never let a browser run it as a page of the academy.
        'X-Content-Type-Options': 'nosniff',
        ...(isJsonType(doc.contentType) ? {} : { 'Content-Security-Policy': 'sandbox', 'Content-Disposition': 'attachment' }),
      };
      res.writeHead(200, { ...commonHeaders(res), ...headers });
      res.end(head ? undefined : doc.content);
      return;
    }
    const since = p.get('since');
    if (since !== undefined && !isTimestamp(since)) throw new AcademyError(400, 'since must be a timestamp', 'since');
    sendXapiJson(res, 200, r.documents.ids(baseKey(r.kind, p), since), {}, head);
  };
}

/** DELETE one document, or (State only) all of an activity's and agent's. */
export function deleteDocument(r: DocumentResource): Handler {
  return (req, res) => {
    const p = params(req, r.kind);
    if (p.has('since')) throw new AcademyError(400, 'since is only for GET', 'since');
    if (p.has(r.idName)) {
      const docKey = documentKey(r, p);
      checkPreconditions(req, r.documents.get(docKey));
      r.documents.delete(docKey);
    } else if (r.kind === 'state') {
      r.documents.deleteAll(baseKey(r.kind, p));
    } else {
      throw new AcademyError(400, `${r.idName} is required`, r.idName);
    }
    sendEmpty(res, 204);
  };
}
