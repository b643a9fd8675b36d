/**
 * The embedded xAPI Learning Record Store: one call for the composition root.
 *
 *   const lrs = createEmbeddedLrs({ file, credentials, clock });
 *   lrs.register(server);                     // xAPI over HTTP at /xapi
 *   lrs.storeStatements([statement]);         // the bot, in process
 *   lrs.close();
 */
import type restify from 'restify';
import type { Clock, IdGenerator } from '../ports.js';
import { accountAgent } from './agents.js';
import type { LrsCredentials } from './credentials.js';
import { registerLrsRoutes } from './routes.js';
import { DocumentStore } from './documentStore.js';
import { StatementStore, type StatementStoreOptions } from './store.js';
import type { Agent } from './types.js';

export interface EmbeddedLrsOptions {
  /** SQLite file, or ':memory:'. */
  file: string;
  credentials: LrsCredentials;
  clock: Clock;
  ids?: IdGenerator;
  /** HTTP request body limit in bytes (default 1 MB). */
  maxBodyBytes?: number;
  /**
   * The LRS base IRL (e.g. 'https://academy.example.org/xapi'): the homePage of the authority
   * account. Default: the request's host for HTTP, 'urn:academy:embedded-lrs' in process.
   */
  baseUrl?: string;
  /** The version of answers to requests without a version header (default 1.0.3). */
  defaultVersion?: '1.0.3' | '2.0.0';
  /** Page size and voiding policy of the store. */
  store?: Omit<StatementStoreOptions, 'ids'>;
  log?: (error: unknown) => void;
}

export interface EmbeddedLrs {
  store: StatementStore;
  /** State, activity profile and agent profile documents. */
  documents: DocumentStore;
  /** The authority recorded on statements stored in process. */
  authority: Agent;
  /** Stores statements for the in-process bot (validated, atomic); returns their ids. */
  storeStatements(statements: unknown[]): string[];
  /**
   * Registers the xAPI routes on the server, under `prefix` (default '/xapi'), with a request
   * body limit (default: the `maxBodyBytes` option, else 1 MB).
   */
  register(server: restify.Server, prefix?: string, maxBodyBytes?: number): void;
  close(): void;
}

export const IN_PROCESS_HOME_PAGE = 'urn:academy:embedded-lrs';

export function createEmbeddedLrs(options: EmbeddedLrsOptions): EmbeddedLrs {
  const store = new StatementStore(options.file, options.clock, {
    requireVoidTarget: false,
    ...options.store,
    ids: options.ids,
  });
  const documents = new DocumentStore(options.file, options.clock);
  const authority = accountAgent(options.baseUrl ?? IN_PROCESS_HOME_PAGE, options.credentials.key);
  return {
    store,
    documents,
    authority,
    storeStatements: (statements) => store.insert(statements, authority),
    register(server, prefix, maxBodyBytes) {
      registerLrsRoutes(server, {
        store,
        documents,
        credentials: options.credentials,
        clock: options.clock,
        maxBodyBytes: maxBodyBytes ?? options.maxBodyBytes,
        prefix,
        baseUrl: options.baseUrl,
        defaultVersion: options.defaultVersion,
        log: options.log,
      });
    },
    close: () => {
      documents.close();
      store.close();
    },
  };
}

export { loadOrCreateCredentials, type LoadedCredentials, type LrsCredentials } from './credentials.js';
export { registerLrsRoutes, type LrsRouteDeps } from './routes.js';
export {
  StatementStore,
  type QueryOptions,
  type StatementQuery,
  type StatementResult,
  type StatementStoreOptions,
} from './store.js';
export { validateAgentParameter, validateStatement, validateStatements } from './validate.js';
export type * from './types.js';
export { VOIDED_VERB } from './types.js';
