/** GET and HEAD on the Statement Resource (Communication §2.1.3): one statement, a query, or a `more` page. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AcademyError } from '../../errors.js';
import { attachmentHashes } from '../attachments.js';
import type { Handler } from '../dispatch.js';
import { isStatementFormat, type StatementFormat } from '../format.js';
import { isIri, isTimestamp, isUuid } from '../formats.js';
import { send, sendXapiJson, type Headers } from '../http.js';
import { buildMultipart } from '../multipart.js';
import type { StatementQuery } from '../store.js';
import type { StoredStatement } from '../types.js';
import { validateAgentParameter } from '../validate.js';
import type { StatementsContext } from './context.js';
import { booleanParameter, queryParameters } from './params.js';

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

/** What one GET asks for, besides its own parameters. */
interface Request {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Map<string, string>;
  readonly format: StatementFormat;
  readonly attachments: boolean;
  readonly acceptLanguage: string | undefined;
}

function httpDate(timestamp: string): string {
  return new Date(timestamp).toUTCString();
}

export function getStatements(ctx: StatementsContext): Handler {
  return (req, res) => {
    const params = queryParameters(req, GET_PARAMETERS);
    const format = params.get('format') ?? 'exact';
    if (!isStatementFormat(format)) throw new AcademyError(400, 'format must be ids, exact or canonical', 'format');
    const attachments = booleanParameter(params, 'attachments') ?? false;
    const get: Request = { req, res, params, format, attachments, acceptLanguage: req.headers['accept-language'] };
    if (params.has('statementId') || params.has('voidedStatementId')) getOne(ctx, get);
    else if (params.has('more')) getMore(ctx, get);
    else sendStatements(ctx, get, ctx.store.query(statementQuery(params, format), { morePath: ctx.statementsPath, acceptLanguage: get.acceptLanguage }), {});
  };
}

function sendStatements(ctx: StatementsContext, get: Request, body: StoredStatement | { statements: StoredStatement[]; more: string }, headers: Headers): void {
  const head = get.req.method === 'HEAD';
  if (!get.attachments) {
    sendXapiJson(get.res, 200, body, headers, head);
    return;
  }
  // attachments=true: multipart/mixed, the JSON first, then the data of each attachment.
  const statements = 'statements' in body ? body.statements : [body];
  const multipart = buildMultipart(body, ctx.attachments.get(attachmentHashes(statements)));
  send(get.res, 200, { ...headers, 'Content-Type': multipart.contentType }, head ? undefined : multipart.body);
}

/** `statementId` or `voidedStatementId`: one statement. */
function getOne(ctx: StatementsContext, get: Request): void {
  const statementId = get.params.get('statementId');
  const voidedStatementId = get.params.get('voidedStatementId');
  if (statementId !== undefined && voidedStatementId !== undefined) {
    throw new AcademyError(400, 'use statementId or voidedStatementId, not both', 'voidedStatementId');
  }
  for (const name of get.params.keys()) {
    if (!SINGLE_PARAMETERS.has(name)) {
      throw new AcademyError(400, `${name} cannot be combined with statementId or voidedStatementId`, name);
    }
  }
  const name = statementId !== undefined ? 'statementId' : 'voidedStatementId';
  const id = statementId ?? voidedStatementId ?? '';
  if (!isUuid(id)) throw new AcademyError(400, `${name} must be a UUID`, name);
  const statement =
    statementId !== undefined ? ctx.store.get(id, get.format, get.acceptLanguage) : ctx.store.getVoided(id, get.format, get.acceptLanguage);
  if (!statement) {
    throw new AcademyError(404, statementId !== undefined ? `no statement ${id}` : `no voided statement ${id}`, name);
  }
  sendStatements(ctx, get, statement, { 'Last-Modified': httpDate(statement.stored) });
}

/** `more`: the next page of an earlier query. */
function getMore(ctx: StatementsContext, get: Request): void {
  for (const name of get.params.keys()) {
    if (name !== 'more' && name !== 'attachments') {
      throw new AcademyError(400, `${name} cannot be combined with more`, name);
    }
  }
  const more = get.params.get('more') ?? '';
  sendStatements(ctx, get, ctx.store.more(more, { morePath: ctx.statementsPath, acceptLanguage: get.acceptLanguage }), {});
}

/** The filter of a statements query, each parameter checked. */
function statementQuery(params: Map<string, string>, format: StatementFormat): StatementQuery {
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
  return query;
}
