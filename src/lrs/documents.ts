/**
 * The document resources of the LRS (xAPI-Communication.md §2.3–§2.7): State, Activity Profile
 * and Agent Profile, stored in SQLite (`lrs_documents`), with ETags and the If-Match /
 * If-None-Match concurrency rules (§3.1), JSON merge on POST, and the Agents / Activities
 * resources. Routes only; statements stay in StatementStore.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/sqlite.js';
import { AcademyError } from '../errors.js';
import type { Clock } from '../ports.js';
import { isIri, isTimestamp, isUuid } from './formats.js';
import { commonHeaders, readBody, responseVersion, sendEmpty, sendXapiJson } from './http.js';
import type { Actor } from './types.js';
import { validateAgentParameter } from './validate.js';

export type DocumentKind = 'state' | 'activity-profile' | 'agent-profile';

export interface StoredDocument {
  contentType: string;
  content: Buffer;
  etag: string;
  updated: string;
}

export interface DocumentKey {
  kind: DocumentKind;
  /** activityId (state, activity profile) or agent key (agent profile). */
  scope: string;
  /** agent key (state only), '' otherwise. */
  agent: string;
  /** registration (state only), '' when none. */
  registration: string;
  id: string;
}

/** A stable key for an Agent / Group by its inverse functional identifier. */
export function agentKey(actor: Actor): string {
  if (actor.mbox !== undefined) return `mbox:${actor.mbox}`;
  if (actor.mbox_sha1sum !== undefined) return `sha1:${actor.mbox_sha1sum}`;
  if (actor.openid !== undefined) return `openid:${actor.openid}`;
  if (actor.account !== undefined) return `account:${actor.account.homePage}|${actor.account.name}`;
  return 'anonymous';
}

export class DocumentStore {
  private readonly db: Database.Database;

  constructor(file: string, private readonly clock: Clock) {
    this.db = openSqlite(file);
    this.db.exec(`CREATE TABLE IF NOT EXISTS lrs_documents (
      kind TEXT NOT NULL, scope TEXT NOT NULL, agent TEXT NOT NULL, registration TEXT NOT NULL,
      doc_id TEXT NOT NULL, content_type TEXT NOT NULL, content BLOB NOT NULL, etag TEXT NOT NULL,
      updated INTEGER NOT NULL,
      PRIMARY KEY (kind, scope, agent, registration, doc_id)) WITHOUT ROWID`);
  }

  get(key: DocumentKey): StoredDocument | undefined {
    const row = this.db
      .prepare(
        `SELECT content_type, content, etag, updated FROM lrs_documents
         WHERE kind = ? AND scope = ? AND agent = ? AND registration = ? AND doc_id = ?`,
      )
      .get(key.kind, key.scope, key.agent, key.registration, key.id) as
      | { content_type: string; content: Buffer; etag: string; updated: number }
      | undefined;
    if (!row) return undefined;
    return {
      contentType: row.content_type,
      content: row.content,
      etag: row.etag,
      updated: new Date(row.updated).toISOString(),
    };
  }

  put(key: DocumentKey, contentType: string, content: Buffer): StoredDocument {
    const etag = createHash('sha1').update(content).digest('hex');
    const updated = this.clock.now().getTime();
    this.db
      .prepare(
        `INSERT OR REPLACE INTO lrs_documents (kind, scope, agent, registration, doc_id, content_type, content, etag, updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(key.kind, key.scope, key.agent, key.registration, key.id, contentType, content, etag, updated);
    return { contentType, content, etag, updated: new Date(updated).toISOString() };
  }

  ids(key: Omit<DocumentKey, 'id'>, since?: string): string[] {
    const sinceMs = since === undefined ? -1 : new Date(since).getTime();
    const rows = this.db
      .prepare(
        `SELECT doc_id FROM lrs_documents WHERE kind = ? AND scope = ? AND agent = ? AND registration = ?
         AND updated > ? ORDER BY doc_id`,
      )
      .all(key.kind, key.scope, key.agent, key.registration, sinceMs) as { doc_id: string }[];
    return rows.map((r) => r.doc_id);
  }

  delete(key: DocumentKey): void {
    this.db
      .prepare('DELETE FROM lrs_documents WHERE kind = ? AND scope = ? AND agent = ? AND registration = ? AND doc_id = ?')
      .run(key.kind, key.scope, key.agent, key.registration, key.id);
  }

  deleteAll(key: Omit<DocumentKey, 'id'>): void {
    this.db
      .prepare('DELETE FROM lrs_documents WHERE kind = ? AND scope = ? AND agent = ? AND registration = ?')
      .run(key.kind, key.scope, key.agent, key.registration);
  }

  close(): void {
    this.db.close();
  }
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
/** Registers an LRS handler (authenticated, version-checked) for a method and path. */
export type RegisterRoute = (method: HttpMethod, path: string, handler: Handler) => void;

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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AcademyError(400, `${what} must be a JSON object to be merged`);
  }
  return value as Record<string, unknown>;
}

export interface DocumentRouteDeps {
  documents: DocumentStore;
  /** The most recent stored definition of an Activity (Communication §2.5), if any. */
  activityDefinition?: (activityId: string) => unknown;
  prefix: string;
  maxBodyBytes: number;
}

export function registerDocumentRoutes(on: RegisterRoute, deps: DocumentRouteDeps): void {
  const resources: [DocumentKind, string, string][] = [
    ['state', `${deps.prefix}/activities/state`, 'stateId'],
    ['activity-profile', `${deps.prefix}/activities/profile`, 'profileId'],
    ['agent-profile', `${deps.prefix}/agents/profile`, 'profileId'],
  ];
  for (const [kind, path, idName] of resources) {
    const key = (p: Map<string, string>): DocumentKey => ({ ...baseKey(kind, p), id: required(p, idName) });

    const write = (merge: boolean): Handler => async (req, res) => {
      const p = params(req, kind);
      const docKey = key(p);
      if (p.has('since')) throw new AcademyError(400, 'since is only for GET', 'since');
      const body = await readBody(req, res, deps.maxBodyBytes);
      const type = contentTypeOf(req);
      const existing = deps.documents.get(docKey);
      const conditional = checkPreconditions(req, existing);
      if (!merge) {
        // xAPI 2.0.0 extends the 409 rule (Communication §3.1) to the State Resource.
        if (existing && !conditional && (kind !== 'state' || responseVersion(res) === '2.0.0')) {
          throw new AcademyError(409, 'the document exists: GET it, then PUT with If-Match set to its ETag');
        }
        // A client MUST send If-Match or If-None-Match on a profile PUT (Communication §3.1.s3.b1).
        if (!existing && !conditional && kind !== 'state') {
          throw new AcademyError(400, 'PUT to a profile needs If-Match or If-None-Match: * (Communication 3.1)');
        }
        if (isJsonType(type)) parseJsonOrFail(body);
        const stored = deps.documents.put(docKey, type, body);
        sendEmpty(res, 204, { ETag: `"${stored.etag}"` });
        return;
      }
      if (!existing) {
        if (isJsonType(type)) parseJsonOrFail(body);
        const stored = deps.documents.put(docKey, type, body);
        sendEmpty(res, 204, { ETag: `"${stored.etag}"` });
        return;
      }
      if (!isJsonType(type) || !isJsonType(existing.contentType)) {
        throw new AcademyError(400, 'POST merges JSON documents only: both must be application/json');
      }
      const merged = { ...parseObject(existing.content, 'the stored document'), ...parseObject(body, 'the document') };
      const stored = deps.documents.put(docKey, 'application/json', Buffer.from(JSON.stringify(merged)));
      sendEmpty(res, 204, { ETag: `"${stored.etag}"` });
    };

    const get: Handler = (req, res) => {
      const p = params(req, kind);
      const head = req.method === 'HEAD';
      if (p.has(idName)) {
        if (p.has('since')) throw new AcademyError(400, `since cannot be combined with ${idName}`, 'since');
        const doc = deps.documents.get(key(p));
        if (!doc) throw new AcademyError(404, `no document ${p.get(idName) ?? ''}`, idName);
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
      sendXapiJson(res, 200, deps.documents.ids(baseKey(kind, p), since), {}, head);
    };

    const del: Handler = (req, res) => {
      const p = params(req, kind);
      if (p.has('since')) throw new AcademyError(400, 'since is only for GET', 'since');
      if (p.has(idName)) {
        const docKey = key(p);
        checkPreconditions(req, deps.documents.get(docKey));
        deps.documents.delete(docKey);
      } else if (kind === 'state') {
        deps.documents.deleteAll(baseKey(kind, p));
      } else {
        throw new AcademyError(400, `${idName} is required`, idName);
      }
      sendEmpty(res, 204);
    };

    on('PUT', path, write(false));
    on('POST', path, write(true));
    on('GET', path, get);
    on('HEAD', path, get);
    on('DELETE', path, del);
  }

  // Agents resource (Communication §2.6): the Person object for an Agent.
  const agents: Handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://lrs.invalid');
    for (const name of url.searchParams.keys()) {
      if (name !== 'agent') throw new AcademyError(400, `unknown parameter ${name}`, name);
    }
    const raw = url.searchParams.get('agent');
    if (raw === null) throw new AcademyError(400, 'agent is required', 'agent');
    const agent = validateAgentParameter(raw);
    const person: Record<string, unknown> = { objectType: 'Person' };
    if (agent.name !== undefined) person.name = [agent.name];
    if (agent.mbox !== undefined) person.mbox = [agent.mbox];
    if (agent.mbox_sha1sum !== undefined) person.mbox_sha1sum = [agent.mbox_sha1sum];
    if (agent.openid !== undefined) person.openid = [agent.openid];
    if (agent.account !== undefined) person.account = [agent.account];
    sendXapiJson(res, 200, person, {}, req.method === 'HEAD');
  };
  on('GET', `${deps.prefix}/agents`, agents);
  on('HEAD', `${deps.prefix}/agents`, agents);

  // Activities resource (Communication §2.5): the Activity object by id.
  const activities: Handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://lrs.invalid');
    for (const name of url.searchParams.keys()) {
      if (name !== 'activityId') throw new AcademyError(400, `unknown parameter ${name}`, name);
    }
    const id = url.searchParams.get('activityId');
    if (id === null || !isIri(id)) throw new AcademyError(400, 'activityId must be an IRI', 'activityId');
    const definition = deps.activityDefinition?.(id);
    const activity = definition === undefined ? { objectType: 'Activity', id } : { objectType: 'Activity', id, definition };
    sendXapiJson(res, 200, activity, {}, req.method === 'HEAD');
  };
  on('GET', `${deps.prefix}/activities`, activities);
  on('HEAD', `${deps.prefix}/activities`, activities);
}

function parseJsonOrFail(body: Buffer): void {
  try {
    JSON.parse(body.toString('utf8'));
  } catch {
    throw new AcademyError(400, 'the document is not valid JSON (Content-Type: application/json)');
  }
}
