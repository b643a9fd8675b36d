import type { IncomingMessage } from 'node:http';
import type { AttachmentStore } from '../attachments.js';
import type { StatementStore } from '../store.js';
import type { Agent } from '../types.js';

/** What the Statement Resource's handlers share (made once by registerLrsRoutes). */
export interface StatementsContext {
  readonly store: StatementStore;
  readonly attachments: AttachmentStore;
  /** Request body limit in bytes (413 above it). */
  readonly maxBodyBytes: number;
  /** `{prefix}/statements`, for the `more` links. */
  readonly statementsPath: string;
  /** The authority of statements stored through this request. */
  authority(req: IncomingMessage): Agent;
}
