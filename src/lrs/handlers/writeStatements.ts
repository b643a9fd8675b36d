/** POST and PUT on the Statement Resource (Communication §2.1.1, §2.1.2). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AcademyError, isAcademyError } from '../../errors.js';
import { isRecord } from '../../http/guards.js';
import { declaresAttachments, matchAttachments } from '../attachments.js';
import type { Handler } from '../dispatch.js';
import { isUuid } from '../formats.js';
import { mediaType, parseJsonBody, readBody, sendEmpty, sendXapiJson } from '../http.js';
import { parseMultipart, type AttachmentPart } from '../multipart.js';
import { validateStatement, validateStatements } from '../validate.js';
import type { StatementsContext } from './context.js';
import { queryParameters } from './params.js';

/** A single-statement request's error names `statement.…` rather than `statements[0].…`. */
function asSingle(error: unknown): unknown {
  if (!isAcademyError(error) || !error.field?.startsWith('statements[0]')) return error;
  const field = error.field.slice('statements[0]'.length).replace(/^\./, '');
  const message = error.message.replace(/^statements\[0\]/, 'statement');
  return new AcademyError(error.status, message, field === '' ? undefined : field);
}

interface StatementsBody {
  json: unknown;
  parts: AttachmentPart[];
  multipart: boolean;
}

/** A statements request body: application/json, or multipart/mixed with attachment data. */
async function readStatements(ctx: StatementsContext, req: IncomingMessage, res: ServerResponse): Promise<StatementsBody> {
  const body = await readBody(req, res, ctx.maxBodyBytes);
  if (mediaType(req) === 'multipart/mixed') {
    return { ...parseMultipart(body, req.headers['content-type'] ?? ''), multipart: true };
  }
  return { json: parseJsonBody(req, body), parts: [], multipart: false };
}

/**
 * Validates the statements and their attachments, then stores the attachment data and the
 * statements in one transaction (all or nothing).
 */
function store(ctx: StatementsContext, statements: unknown[], { parts, multipart }: StatementsBody, req: IncomingMessage): string[] {
  if (!multipart && !declaresAttachments(statements)) return ctx.store.insert(statements, ctx.authority(req)); // the common case
  matchAttachments(validateStatements(statements), parts, multipart);
  return ctx.store.db.transaction(() => {
    ctx.attachments.put(parts);
    return ctx.store.insert(statements, ctx.authority(req));
  })();
}

export function postStatements(ctx: StatementsContext): Handler {
  return async (req, res) => {
    queryParameters(req, new Set());
    const body = await readStatements(ctx, req, res);
    const { json } = body;
    let ids: string[];
    if (Array.isArray(json)) {
      if (json.length === 0) throw new AcademyError(400, 'statements must not be an empty array', 'statements');
      ids = store(ctx, json, body, req);
    } else {
      try {
        validateStatement(json);
        ids = store(ctx, [json], body, req);
      } catch (e) {
        throw asSingle(e);
      }
    }
    sendXapiJson(res, 200, ids);
  };
}

export function putStatement(ctx: StatementsContext): Handler {
  return async (req, res) => {
    const params = queryParameters(req, new Set(['statementId']));
    const statementId = params.get('statementId');
    if (statementId === undefined) throw new AcademyError(400, 'statementId is required', 'statementId');
    if (!isUuid(statementId)) throw new AcademyError(400, 'statementId must be a UUID', 'statementId');
    const body = await readStatements(ctx, req, res);
    const { json } = body;
    if (!isRecord(json)) {
      throw new AcademyError(400, 'statement must be an object (PUT stores a single statement)');
    }
    const given: unknown = Reflect.get(json, 'id');
    if (given !== undefined && (typeof given !== 'string' || given.toLowerCase() !== statementId.toLowerCase())) {
      throw new AcademyError(400, 'statement.id must match the statementId parameter', 'id');
    }
    const statement = { ...json, id: typeof given === 'string' ? given : statementId };
    try {
      validateStatement(statement);
      store(ctx, [statement], body, req);
    } catch (e) {
      throw asSingle(e);
    }
    sendEmpty(res, 204);
  };
}
