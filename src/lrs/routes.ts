/**
 * The xAPI HTTP resources of the embedded LRS (xAPI-Communication.md §2.1, §2.8) on a restify
 * server: About, and the Statement Resource (PUT, POST, GET, HEAD), with HTTP Basic auth, the
 * version header, CORS and raw-body size limits. Registers routes only — no server-wide middleware.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type restify from 'restify';
import { AcademyError, isAcademyError } from '../errors.js';
import type { Clock } from '../ports.js';
import { accountAgent } from './agents.js';
import { AttachmentStore, attachmentHashes, declaresAttachments, matchAttachments } from './attachments.js';
import type { LrsCredentials } from './credentials.js';
import { isStatementFormat } from './format.js';
import { isIri, isTimestamp, isUuid } from './formats.js';
import { buildMultipart, parseMultipart, type AttachmentPart } from './multipart.js';
import {
  CONSISTENT_THROUGH_HEADER,
  DEFAULT_MAX_BODY_BYTES,
  XAPI_VERSION,
  authenticate,
  checkVersionHeader,
  mediaType,
  parseJsonBody,
  readBody,
  send,
  sendEmpty,
  sendError,
  sendXapiJson,
  sendPreflight,
  setResponseVersion,
  type Headers,
} from './http.js';
import { isAlternateRequest, rewriteAlternateRequest } from './alternate.js';
import { registerDocumentRoutes, type DocumentStore, type Handler, type HttpMethod } from './documents.js';
import type { StatementQuery, StatementStore } from './store.js';
import type { Agent, StoredStatement } from './types.js';
import { validateAgentParameter, validateStatement, validateStatements } from './validate.js';

export interface LrsRouteDeps {
  store: StatementStore;
  /** Attachment data (default: a table in the statement store's SQLite file). */
  attachments?: AttachmentStore;
  /** The State / Activity Profile / Agent Profile documents; without it those routes are absent. */
  documents?: DocumentStore;
  credentials: LrsCredentials;
  /** The LRS clock (the store stamps `stored` and Consistent-Through with the same one). */
  clock: Clock;
  /** Request body limit in bytes (413 above it). Default 1 MB. */
  maxBodyBytes?: number;
  /** Path prefix of the xAPI endpoint. Default '/xapi'. */
  prefix?: string;
  /**
   * The LRS base IRL, used as the authority's account homePage. Default: derived from the
   * request (`http(s)://<Host><prefix>`).
   */
  baseUrl?: string;
  /**
   * The version of answers to requests that do not say theirs (no X-Experience-API-Version):
   * 1.0.3 (default) or 2.0.0. Such requests are refused with 400 either way.
   */
  defaultVersion?: '1.0.3' | '2.0.0';
  /** Called with unexpected (non-AcademyError) errors before answering 500. */
  log?: (error: unknown) => void;
}

interface RouteOptions {
  /** No authentication or version header (About, CORS preflight). */
  open?: boolean;
  /** A Statement Resource route: X-Experience-API-Consistent-Through on every response. */
  statements?: boolean;
}

interface RouteEntry {
  handler: Handler;
  options: RouteOptions;
}

const GET_PARAMETERS = new Set([
  'statementId',
  'voidedStatementId',
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
  'more',
]);
const SINGLE_PARAMETERS = new Set(['statementId', 'voidedStatementId', 'format', 'attachments']);

/** Query parameters, each at most once, all known (Communication §3.2.s3.b7–b8). */
function queryParameters(req: IncomingMessage, allowed: ReadonlySet<string>): Map<string, string> {
  const url = new URL(req.url ?? '/', 'http://lrs.invalid');
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (name === 'method') {
      throw new AcademyError(400, 'the alternate request syntax (?method=) must be sent as a POST', 'method');
    }
    if (!allowed.has(name)) throw new AcademyError(400, `unknown parameter ${name}`, name);
    if (params.has(name)) throw new AcademyError(400, `parameter ${name} is given more than once`, name);
    params.set(name, value);
  }
  return params;
}

function booleanParameter(params: Map<string, string>, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new AcademyError(400, `${name} must be true or false`, name);
}

function httpDate(timestamp: string): string {
  return new Date(timestamp).toUTCString();
}

/** A single-statement request's error names `statement.…` rather than `statements[0].…`. */
function asSingle(error: unknown): unknown {
  if (!isAcademyError(error) || !error.field?.startsWith('statements[0]')) return error;
  const field = error.field.slice('statements[0]'.length).replace(/^\./, '');
  const message = error.message.replace(/^statements\[0\]/, 'statement');
  return new AcademyError(error.status, message, field === '' ? undefined : field);
}

export function registerLrsRoutes(server: restify.Server, deps: LrsRouteDeps): void {
  const prefix = (deps.prefix ?? '/xapi').replace(/\/+$/, '');
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const statementsPath = `${prefix}/statements`;

  function authority(req: IncomingMessage): Agent {
    if (deps.baseUrl !== undefined) return accountAgent(deps.baseUrl, deps.credentials.key);
    const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
    const host = req.headers.host ?? '';
    const safeHost = /^[A-Za-z0-9.:[\]-]+$/.test(host) ? host : 'localhost';
    return accountAgent(`${encrypted ? 'https' : 'http'}://${safeHost}${prefix}`, deps.credentials.key);
  }

  /**
   * Runs a handler: auth and version checks (unless `open`), and for the Statement Resource the
   * Consistent-Through header on every response (Communication §2.1.3.s2.b5).
   */
  function run(req: IncomingMessage, res: ServerResponse, { handler, options }: RouteEntry): Promise<void> | void {
    if (options.statements) res.setHeader(CONSISTENT_THROUGH_HEADER, deps.store.consistentThrough());
    if (!options.open) {
      authenticate(req, deps.credentials);
      setResponseVersion(res, checkVersionHeader(req));
    }
    return handler(req, res);
  }

  /** A restify handler; errors are answered as `{ error, field }`. */
  function route(entry: RouteEntry): restify.RequestHandler {
    return (req, res, next) => {
      setResponseVersion(res, deps.defaultVersion ?? XAPI_VERSION);
      Promise.resolve()
        .then(() => run(req, res, entry))
        .catch((error: unknown) => sendError(res, error, deps.log))
        .finally(() => next());
    };
  }

  // Every authenticated route, by path and method, so a POST `?method=X` (the 1.0.3 Alternate
  // Request Syntax) reaches the handler of X. POST routes are registered last, by `finish`.
  const table = new Map<string, Map<HttpMethod, RouteEntry>>();
  function on(method: HttpMethod, path: string, handler: Handler, options: RouteOptions = {}): void {
    const methods = table.get(path) ?? new Map<HttpMethod, RouteEntry>();
    methods.set(method, { handler, options });
    table.set(path, methods);
    const entry = { handler, options };
    if (method === 'GET') server.get(path, route(entry));
    if (method === 'HEAD') server.head(path, route(entry));
    if (method === 'PUT') server.put(path, route(entry));
    if (method === 'DELETE') server.del(path, route(entry));
  }
  function finish(): void {
    for (const [path, methods] of table) {
      const statements = methods.get('GET')?.options.statements;
      const post: Handler = async (req, res) => {
        if (!isAlternateRequest(req)) {
          const own = methods.get('POST');
          if (own === undefined) throw new AcademyError(405, `${path} does not accept POST`);
          return run(req, res, own);
        }
        await rewriteAlternateRequest(req, res, maxBodyBytes);
        const target = [...methods].find(([method]) => method === req.method)?.[1];
        if (target === undefined) throw new AcademyError(405, `${path} does not accept ${req.method ?? ''}`, 'method');
        return run(req, res, target);
      };
      server.post(path, route({ handler: post, options: { open: true, statements } }));
      server.opts(path, preflight);
    }
  }

  const preflight = route({ handler: (_req, res) => sendPreflight(res), options: { open: true } });

  // --- About (Communication §2.8) -----------------------------------------------------------
  const about: Handler = (req, res) => sendXapiJson(res, 200, { version: [XAPI_VERSION, '2.0.0'] }, {}, req.method === 'HEAD');
  server.get(`${prefix}/about`, route({ handler: about, options: { open: true } }));
  server.head(`${prefix}/about`, route({ handler: about, options: { open: true } }));
  server.opts(`${prefix}/about`, preflight);

  // --- Statements (Communication §2.1) ------------------------------------------------------
  const attachmentStore = deps.attachments ?? new AttachmentStore(deps.store.db);

  /** A statements request body: application/json, or multipart/mixed with attachment data. */
  async function readStatements(req: IncomingMessage, res: ServerResponse): Promise<{ json: unknown; parts: AttachmentPart[]; multipart: boolean }> {
    const body = await readBody(req, res, maxBodyBytes);
    if (mediaType(req) === 'multipart/mixed') {
      return { ...parseMultipart(body, req.headers['content-type'] ?? ''), multipart: true };
    }
    return { json: parseJsonBody(req, body), parts: [], multipart: false };
  }

  /**
   * Validates the statements and their attachments, then stores the attachment data and the
   * statements in one transaction (all or nothing).
   */
  function store(statements: unknown[], parts: AttachmentPart[], multipart: boolean, req: IncomingMessage): string[] {
    if (!multipart && !declaresAttachments(statements)) return deps.store.insert(statements, authority(req)); // the common case
    matchAttachments(validateStatements(statements), parts, multipart);
    return deps.store.db.transaction(() => {
      attachmentStore.put(parts);
      return deps.store.insert(statements, authority(req));
    })();
  }

  const postStatements: Handler = async (req, res) => {
    queryParameters(req, new Set());
    const { json, parts, multipart } = await readStatements(req, res);
    let ids: string[];
    if (Array.isArray(json)) {
      if (json.length === 0) throw new AcademyError(400, 'statements must not be an empty array', 'statements');
      ids = store(json, parts, multipart, req);
    } else {
      try {
        validateStatement(json);
        ids = store([json], parts, multipart, req);
      } catch (e) {
        throw asSingle(e);
      }
    }
    sendXapiJson(res, 200, ids);
  };

  const putStatement: Handler = async (req, res) => {
    const params = queryParameters(req, new Set(['statementId']));
    const statementId = params.get('statementId');
    if (statementId === undefined) throw new AcademyError(400, 'statementId is required', 'statementId');
    if (!isUuid(statementId)) throw new AcademyError(400, 'statementId must be a UUID', 'statementId');
    const { json, parts, multipart } = await readStatements(req, res);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new AcademyError(400, 'statement must be an object (PUT stores a single statement)');
    }
    const given: unknown = Reflect.get(json, 'id');
    if (given !== undefined && (typeof given !== 'string' || given.toLowerCase() !== statementId.toLowerCase())) {
      throw new AcademyError(400, 'statement.id must match the statementId parameter', 'id');
    }
    const statement = { ...json, id: typeof given === 'string' ? given : statementId };
    try {
      validateStatement(statement);
      store([statement], parts, multipart, req);
    } catch (e) {
      throw asSingle(e);
    }
    sendEmpty(res, 204);
  };

  function sendStatements(
    req: IncomingMessage,
    res: ServerResponse,
    body: StoredStatement | { statements: StoredStatement[]; more: string },
    headers: Headers,
    attachments: boolean,
  ): void {
    const head = req.method === 'HEAD';
    if (!attachments) {
      sendXapiJson(res, 200, body, headers, head);
      return;
    }
    // attachments=true: multipart/mixed, the JSON first, then the data of each attachment.
    const statements = 'statements' in body ? body.statements : [body];
    const multipart = buildMultipart(body, attachmentStore.get(attachmentHashes(statements)));
    send(res, 200, { ...headers, 'Content-Type': multipart.contentType }, head ? undefined : multipart.body);
  }

  const getStatements: Handler = (req, res) => {
    const params = queryParameters(req, GET_PARAMETERS);
    const headers: Headers = {};
    const acceptLanguage = req.headers['accept-language'];
    const format = params.get('format') ?? 'exact';
    if (!isStatementFormat(format)) throw new AcademyError(400, 'format must be ids, exact or canonical', 'format');
    const attachments = booleanParameter(params, 'attachments') ?? false;

    const statementId = params.get('statementId');
    const voidedStatementId = params.get('voidedStatementId');
    if (statementId !== undefined || voidedStatementId !== undefined) {
      if (statementId !== undefined && voidedStatementId !== undefined) {
        throw new AcademyError(400, 'use statementId or voidedStatementId, not both', 'voidedStatementId');
      }
      for (const name of params.keys()) {
        if (!SINGLE_PARAMETERS.has(name)) {
          throw new AcademyError(400, `${name} cannot be combined with statementId or voidedStatementId`, name);
        }
      }
      const name = statementId !== undefined ? 'statementId' : 'voidedStatementId';
      const id = statementId ?? voidedStatementId ?? '';
      if (!isUuid(id)) throw new AcademyError(400, `${name} must be a UUID`, name);
      const statement =
        statementId !== undefined
          ? deps.store.get(id, format, acceptLanguage)
          : deps.store.getVoided(id, format, acceptLanguage);
      if (!statement) {
        throw new AcademyError(404, statementId !== undefined ? `no statement ${id}` : `no voided statement ${id}`, name);
      }
      sendStatements(req, res, statement, { ...headers, 'Last-Modified': httpDate(statement.stored) }, attachments);
      return;
    }

    const more = params.get('more');
    if (more !== undefined) {
      for (const name of params.keys()) {
        if (name !== 'more' && name !== 'attachments') {
          throw new AcademyError(400, `${name} cannot be combined with more`, name);
        }
      }
      sendStatements(req, res, deps.store.more(more, { morePath: statementsPath, acceptLanguage }), headers, attachments);
      return;
    }

    const query: StatementQuery = { format };
    const agent = params.get('agent');
    if (agent !== undefined) query.agent = validateAgentParameter(agent);
    for (const name of ['verb', 'activity'] as const) {
      const value = params.get(name);
      if (value === undefined) continue;
      if (!isIri(value)) throw new AcademyError(400, `${name} must be an IRI`, name);
      query[name] = value;
    }
    const registration = params.get('registration');
    if (registration !== undefined) {
      if (!isUuid(registration)) throw new AcademyError(400, 'registration must be a UUID', 'registration');
      query.registration = registration;
    }
    for (const name of ['since', 'until'] as const) {
      const value = params.get(name);
      if (value === undefined) continue;
      if (!isTimestamp(value)) throw new AcademyError(400, `${name} must be an ISO 8601 timestamp with a time zone`, name);
      query[name] = value;
    }
    const limit = params.get('limit');
    if (limit !== undefined) {
      if (!/^\d+$/.test(limit)) throw new AcademyError(400, 'limit must be a non-negative integer', 'limit');
      query.limit = Math.min(Number(limit), Number.MAX_SAFE_INTEGER);
    }
    query.relatedActivities = booleanParameter(params, 'related_activities');
    query.relatedAgents = booleanParameter(params, 'related_agents');
    query.ascending = booleanParameter(params, 'ascending');

    const result = deps.store.query(query, { morePath: statementsPath, acceptLanguage });
    sendStatements(req, res, result, headers, attachments);
  };

  on('POST', statementsPath, postStatements, { statements: true });
  on('PUT', statementsPath, putStatement, { statements: true });
  on('GET', statementsPath, getStatements, { statements: true });
  on('HEAD', statementsPath, getStatements, { statements: true });

  if (deps.documents !== undefined) {
    const activityDefinition = (activityId: string) => deps.store.activities.definition(activityId);
    registerDocumentRoutes(on, { documents: deps.documents, prefix, maxBodyBytes, activityDefinition });
  }
  finish();
}
