import type { INetworkModule } from '@azure/msal-node';
import type { Config } from '../config.js';
import type { StatementStore } from '../lrs/store.js';
import type { Agent } from '../lrs/types.js';
import type { Clock, IdGenerator } from '../ports.js';
import type { AggregateStore } from './aggregates.js';
import type { AuditLog } from './audit.js';
import type { ChampionSource, ContentSource, CurationSource, StatementSource } from '../records/ports.js';

export interface AdminDeps {
  readonly config: Config;
  /** The embedded LRS: erasure voids statements here. */
  readonly store: StatementStore;
  /** The academy's authority (voiding statements are made by it). */
  readonly authority: Agent;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly log: (line: string) => void;
  /** Read this StatementSource instead of the default (LRS_ENDPOINT when set, else the embedded LRS). */
  readonly source?: StatementSource;
  readonly curation?: CurationSource;
  readonly champions?: ChampionSource;
  /** The lessons and learners' card reports, for the Content page. */
  readonly content?: ContentSource;
  /** msal-node network client (e.g. trusting a private CA); default: msal's own. */
  readonly entraNetwork?: INetworkModule;
  /** Serve the learners' /privacy page (default true). */
  readonly privacyPage?: boolean;
}

export interface AdminHandle {
  readonly aggregates: AggregateStore;
  readonly audit: AuditLog;
  readonly source: StatementSource;
  /** Voids every statement of the learner in the embedded LRS and updates the figures; returns how many. */
  eraseLearner(learnerId: string): Promise<number>;
  /** Reads new statements into the figures now. */
  refresh(): Promise<void>;
  /** How many admin sessions the server keeps (signed in, or an Entra sign-in under way). */
  sessionCount(): number;
  close(): void;
}
