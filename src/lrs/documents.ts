/**
 * The document routes of the LRS (xAPI-Communication.md §2.3–§2.7), as a route table: State,
 * Activity Profile and Agent Profile (handlers/documents.ts), and the Agents / Activities resources
 * (handlers/resources.ts). The documents are stored by DocumentStore (documentStore.ts).
 */
import type { LrsRoute } from './dispatch.js';
import type { DocumentKind, DocumentStore } from './documentStore.js';
import { deleteDocument, getDocument, writeDocument, type DocumentResource } from './handlers/documents.js';
import { activities, agents } from './handlers/resources.js';

export { agentKey, DocumentStore, type DocumentKey, type DocumentKind, type StoredDocument } from './documentStore.js';
export type { Handler, HttpMethod, RegisterRoute } from './dispatch.js';

export interface DocumentRouteDeps {
  documents: DocumentStore;
  /** The most recent stored definition of an Activity (Communication §2.5), if any. */
  activityDefinition?: (activityId: string) => unknown;
  prefix: string;
  maxBodyBytes: number;
}

/** The document, Agents and Activities routes (all authenticated and version-checked). */
export function documentRoutes(deps: DocumentRouteDeps): LrsRoute[] {
  const resources: [DocumentKind, string, string][] = [
    ['state', `${deps.prefix}/activities/state`, 'stateId'],
    ['activity-profile', `${deps.prefix}/activities/profile`, 'profileId'],
    ['agent-profile', `${deps.prefix}/agents/profile`, 'profileId'],
  ];
  const routes: LrsRoute[] = [];
  for (const [kind, path, idName] of resources) {
    const r: DocumentResource = { kind, idName, documents: deps.documents, maxBodyBytes: deps.maxBodyBytes };
    routes.push(
      { method: 'PUT', path, handler: writeDocument(r, false) },
      { method: 'POST', path, handler: writeDocument(r, true) },
      { method: 'GET', path, handler: getDocument(r) },
      { method: 'HEAD', path, handler: getDocument(r) },
      { method: 'DELETE', path, handler: deleteDocument(r) },
    );
  }
  const activity = activities(deps.activityDefinition);
  routes.push(
    { method: 'GET', path: `${deps.prefix}/agents`, handler: agents },
    { method: 'HEAD', path: `${deps.prefix}/agents`, handler: agents },
    { method: 'GET', path: `${deps.prefix}/activities`, handler: activity },
    { method: 'HEAD', path: `${deps.prefix}/activities`, handler: activity },
  );
  return routes;
}
