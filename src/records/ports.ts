/**
 * The ports the admin review, the learner's privacy view and question answering share: what
 * they read, behind small ports (they live here, not in admin/, so no folder imports admin).
 *
 *  StatementSource  xAPI statements from any LRS (the embedded one, or an external one over the
 *                   statements API), one page at a time with `more`.
 *  CurationSource   the question-answering side's curation queue (src/qa fills it; empty default).
 *  ChampionSource   help requests to digital champions and when they were answered (empty default).
 *  ContentSource    the lessons and learners' reports on their cards (the admin's Content page).
 */
import type { Lesson } from '../lessons/types.js';
import type { Actor, StoredStatement } from '../lrs/types.js';

/** The xAPI GET statements filters the admin uses. */
export interface StatementFilter {
  readonly verb?: string;
  readonly activity?: string;
  readonly agent?: Actor;
  readonly registration?: string;
  /** Stored strictly after this ISO timestamp. */
  readonly since?: string;
  /** Stored at or before this ISO timestamp. */
  readonly until?: string;
  readonly ascending?: boolean;
  /** Page size; the LRS may give fewer. */
  readonly limit?: number;
}

export interface StatementPage {
  readonly statements: readonly StoredStatement[];
  /** Opaque token for `more()`; '' on the last page. */
  readonly more: string;
}

export interface StatementSource {
  /** 'embedded' or the external endpoint, for the pages' footers. */
  readonly name: string;
  query(filter: StatementFilter): Promise<StatementPage>;
  more(token: string): Promise<StatementPage>;
  get(id: string): Promise<StoredStatement | undefined>;
}

export interface CurationItem {
  readonly id: string;
  /** What was asked (as the question-answering side keeps it, already free of personal data). */
  readonly question: string;
  /** How many times it was asked. */
  readonly count: number;
  /** How many different people asked it, when known (used for the MIN_COHORT rule). */
  readonly people?: number;
  /** The topic code it was answered from, if any. */
  readonly topic?: string;
  readonly status: 'open' | 'handled';
  /** Helpful / not helpful votes on the answer. */
  readonly feedback?: { readonly helpful: number; readonly notHelpful: number };
  readonly lastAsked?: string;
  /** The topic a curator attached it to: a question that missed that topic. */
  readonly attachedTo?: string;
}

export interface CurationSource {
  list(): Promise<readonly CurationItem[]>;
  /** Adds the question to the topic as a new phrasing (and closes the item). */
  attachToTopic(id: string, topic: string, by: string): Promise<void>;
  markHandled(id: string, by: string): Promise<void>;
}

export interface HelpRequest {
  readonly id: string;
  readonly topic?: string;
  readonly channel?: string;
  readonly askedAt: string;
  /** Unset while nobody has answered. */
  readonly answeredAt?: string;
}

/** Where champions' questions go: set in config, picked by an admin, or nowhere yet. */
export interface ChampionPlace {
  readonly source: 'config' | 'admin' | 'none';
  readonly kind?: 'team' | 'conversation';
  readonly id?: string;
  /** The bot has a reference to post questions there. */
  readonly reachable: boolean;
}

/** A Teams channel or group chat the bot is in, which an admin may pick. */
export interface ChampionCandidateView {
  readonly id: string;
  readonly kind: string;
  readonly teamId?: string;
  readonly seenAt: string;
}

export interface ChampionSource {
  list(): Promise<readonly HelpRequest[]>;
  place?(): Promise<ChampionPlace>;
  candidates?(): Promise<readonly ChampionCandidateView[]>;
  /** Makes a listed conversation the champions' one (refused while config sets it). */
  choose?(id: string): Promise<void>;
}

export const emptyCuration: CurationSource = {
  list: async () => [],
  attachToTopic: async () => undefined,
  markHandled: async () => undefined,
};

export const emptyChampions: ChampionSource = { list: async () => [] };

/** A learner's report that a lesson card is wrong (no learner id is kept with it). */
export interface CardReportView {
  /** `<lesson id>/card/<n>`, the card's id as in xAPI. */
  readonly card: string;
  readonly topic: string;
  readonly note: string | null;
  readonly reportedAt: string;
}

/** Where the Content page reads the lessons and the learners' card reports. */
export interface ContentSource {
  lessons(): readonly Lesson[];
  reports(): Promise<readonly CardReportView[]>;
}

export const emptyContent: ContentSource = { lessons: () => [], reports: async () => [] };
