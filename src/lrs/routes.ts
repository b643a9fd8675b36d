/**
 * The xAPI HTTP resources of the embedded LRS (xAPI-Communication.md §2.1–§2.8) on a restify
 * server, as one route table: About, the Statement Resource (PUT, POST, GET, HEAD), and with a
 * DocumentStore the document, Agents and Activities resources. HTTP Basic auth, the version header,
 * CORS and the alternate request syntax are applied by `mountLrsRoutes` (dispatch.ts); the
 * handlers are in handlers/. Registers routes only — no server-wide middleware.
 */
import type { IncomingMessage } from 'node:http';
import type restify from 'restify';
import { accountAgent } from './agents.js';
import { AttachmentStore } from './attachments.js';
import type { LrsCredentials } from './credentials.js';
import { mountLrsRoutes, type Handler, type LrsRoute } from './dispatch.js';
import { documentRoutes, type DocumentStore } from './documents.js';
import type { StatementsContext } from './handlers/context.js';
import { getStatements } from './handlers/getStatements.js';
import { postStatements, putStatement } from './handlers/writeStatements.js';
import { DEFAULT_MAX_BODY_BYTES, XAPI_VERSION, sendXapiJson } from './http.js';
import type { StatementStore } from './store.js';
import type { Agent } from './types.js';
import type { Clock } from '../ports.js';

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

/** About (Communication §2.8): open, no authentication. */
const about: Handler = (req, res) => sendXapiJson(res, 200, { version: [XAPI_VERSION, '2.0.0'] }, {}, req.method === 'HEAD');

export function registerLrsRoutes(server: restify.Server, deps: LrsRouteDeps): void {
  const prefix = (deps.prefix ?? '/xapi').replace(/\/+$/, '');
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const statementsPath = `${prefix}/statements`;
  const authority = (req: IncomingMessage): Agent => {
    if (deps.baseUrl !== undefined) return accountAgent(deps.baseUrl, deps.credentials.key);
    const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
    const host = req.headers.host ?? '';
    const safeHost = /^[A-Za-z0-9.:[\]-]+$/.test(host) ? host : 'localhost';
    return accountAgent(`${encrypted ? 'https' : 'http'}://${safeHost}${prefix}`, deps.credentials.key);
  };
  const ctx: StatementsContext = {
    store: deps.store,
    attachments: deps.attachments ?? new AttachmentStore(deps.store.db),
    maxBodyBytes,
    statementsPath,
    authority,
  };
  const statements = { statements: true };
  const routes: LrsRoute[] = [
    { method: 'GET', path: `${prefix}/about`, handler: about, options: { open: true } },
    { method: 'HEAD', path: `${prefix}/about`, handler: about, options: { open: true } },
    { method: 'POST', path: statementsPath, handler: postStatements(ctx), options: statements },
    { method: 'PUT', path: statementsPath, handler: putStatement(ctx), options: statements },
    { method: 'GET', path: statementsPath, handler: getStatements(ctx), options: statements },
    { method: 'HEAD', path: statementsPath, handler: getStatements(ctx), options: statements },
  ];
  if (deps.documents !== undefined) {
    const activityDefinition = (activityId: string) => deps.store.activities.definition(activityId);
    routes.push(...documentRoutes({ documents: deps.documents, prefix, maxBodyBytes, activityDefinition }));
  }
  mountLrsRoutes(server, routes, { store: deps.store, credentials: deps.credentials, maxBodyBytes, defaultVersion: deps.defaultVersion, log: deps.log });
}
