import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/sqlite.js';
import type { ConversationReference } from 'botbuilder';
import { AcademyError } from '../errors.js';
import type { Clock, IdGenerator } from '../ports.js';

/** Why a question is in the curation queue. */
export type CurationReason = 'no-answer' | 'low-rating' | 'did-you-mean' | 'card-report';

export interface CurationItem {
  readonly id: number;
  readonly question: string;
  readonly reason: CurationReason;
  /** How often it was asked (same words, ignoring case and punctuation). */
  readonly count: number;
  readonly firstAsked: string;
  readonly lastAsked: string;
  /** The topic the bot offered, if any. */
  readonly topic: string | null;
  readonly status: 'open' | 'attached' | 'handled';
  /** Set when a curator attached it to a topic as a new phrasing. */
  readonly attachedTo: string | null;
  /** For a learner's report on a lesson card: the card's id, `<lesson id>/card/<n>` (as in xAPI). */
  readonly card: string | null;
}

/** One learner's report that a lesson card is wrong ("Something wrong with this card?"). */
export interface CardReport {
  readonly id: number;
  readonly card: string;
  readonly topic: string;
  /** The learner's optional short note, after safety triage; never their name or id. */
  readonly note: string | null;
  readonly reportedAt: string;
  /** The curation queue item that counts the reports on this card. */
  readonly curationId: number;
}

export interface HelpRequest {
  readonly id: string;
  readonly learnerId: string;
  readonly question: string;
  readonly askedAt: string;
  readonly answeredAt: string | null;
  readonly reply: string | null;
  /** The champion's pseudonymous id. */
  readonly championId: string | null;
  /** Where the learner is, for the proactive reply. */
  readonly learner: Partial<ConversationReference>;
}

interface CurationRow {
  id: number;
  question: string;
  reason: CurationReason;
  count: number;
  first_asked: string;
  last_asked: string;
  topic: string | null;
  status: CurationItem['status'];
  attached_to: string | null;
  card: string | null;
}

interface CardReportRow {
  id: number;
  curation_id: number;
  card: string;
  topic: string;
  note: string | null;
  reported_at: string;
}

interface HelpRow {
  id: string;
  learner_id: string;
  question: string;
  asked_at: string;
  answered_at: string | null;
  reply: string | null;
  champion_id: string | null;
  learner_ref: string;
}

/** Same question, same key: lower case, letters and digits, single spaces. */
export function questionKey(question: string): string {
  return question.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

const MAX_QUESTION = 1000;

/**
 * What question answering keeps, in SQLite in DATA_DIR: the curation queue (questions the
 * content did not answer, or answered badly), help requests to digital champions, and where
 * the champions' conversation is.
 */
export class QaStore {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    this.db = openSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS curation (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        question_key TEXT NOT NULL,
        reason TEXT NOT NULL,
        question TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        first_asked TEXT NOT NULL,
        last_asked TEXT NOT NULL,
        topic TEXT,
        status TEXT NOT NULL DEFAULT 'open',
        attached_to TEXT,
        UNIQUE (question_key, reason)
      );
      CREATE INDEX IF NOT EXISTS curation_status ON curation (status, count DESC);
      CREATE TABLE IF NOT EXISTS help_requests (
        id TEXT PRIMARY KEY,
        learner_id TEXT NOT NULL,
        question TEXT NOT NULL,
        asked_at TEXT NOT NULL,
        answered_at TEXT,
        reply TEXT,
        champion_id TEXT,
        learner_ref TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS help_open ON help_requests (answered_at, asked_at);
      CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS champion_candidates (
        conversation_id TEXT PRIMARY KEY,
        team_id TEXT,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        seen_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS champion_prefs (aad_object_id TEXT PRIMARY KEY, share_first_name INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS card_reports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        curation_id INTEGER NOT NULL,
        card TEXT NOT NULL,
        topic TEXT NOT NULL,
        note TEXT,
        reported_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS card_reports_card ON card_reports (card, reported_at);
    `);
    // Stores made before card reports have no card column.
    const columns = this.db.prepare('PRAGMA table_info(curation)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'card')) this.db.exec('ALTER TABLE curation ADD COLUMN card TEXT');
    this.forgetLegacyNames();
  }

  /**
   * Before 13: any chat could make itself the champions' conversation ('champions' setting), and
   * conversation references kept Teams display names. Both go: an admin or config picks again.
   */
  private forgetLegacyNames(): void {
    this.db.exec(`
      DELETE FROM settings WHERE name = 'champions';
      UPDATE help_requests SET learner_ref = json_replace(learner_ref, '$.user.name', '', '$.bot.name', '', '$.conversation.name', '')
        WHERE json_valid(learner_ref) AND (json_extract(learner_ref, '$.user.name') <> '' OR json_extract(learner_ref, '$.bot.name') <> '' OR json_extract(learner_ref, '$.conversation.name') <> '');
    `);
  }

  /**
   * A learner says a lesson card is wrong: one report, counted on the card's item in the
   * curation queue (reopened if it was handled). `card` is `<lesson id>/card/<n>`.
   */
  reportCard(card: string, topic: string, title: string): CardReport {
    if (!/^[a-z0-9-]+\/card\/\d+$/.test(card)) throw new AcademyError(400, 'Not a card id', 'card');
    const now = this.clock.now().toISOString();
    const question = `Something wrong with the card "${title.slice(0, 200)}"`;
    this.db
      .prepare(
        `INSERT INTO curation (question_key, reason, question, first_asked, last_asked, topic, card) VALUES (?, 'card-report', ?, ?, ?, ?, ?)
         ON CONFLICT (question_key, reason) DO UPDATE SET count = count + 1, last_asked = excluded.last_asked, question = excluded.question,
           status = CASE WHEN status = 'handled' THEN 'open' ELSE status END`,
      )
      .run(`card ${card}`, question, now, now, topic, card);
    const item = this.db.prepare(`SELECT id FROM curation WHERE question_key = ? AND reason = 'card-report'`).get(`card ${card}`) as { id: number };
    const r = this.db.prepare('INSERT INTO card_reports (curation_id, card, topic, reported_at) VALUES (?, ?, ?, ?)').run(item.id, card, topic, now);
    return this.cardReport(Number(r.lastInsertRowid))!;
  }

  /** Adds the learner's note to their report (once; triage has already screened it). */
  noteCardReport(id: number, note: string): CardReport {
    const text = note.trim().slice(0, MAX_QUESTION);
    if (!text) throw new AcademyError(400, 'The note is empty', 'note');
    const r = this.db.prepare('UPDATE card_reports SET note = ? WHERE id = ? AND note IS NULL').run(text, id);
    if (r.changes === 0) throw new AcademyError(this.cardReport(id) ? 409 : 404, this.cardReport(id) ? 'This report already has a note' : 'No such report', 'report');
    return this.cardReport(id)!;
  }

  cardReport(id: number): CardReport | undefined {
    const row = this.db.prepare('SELECT * FROM card_reports WHERE id = ?').get(id) as CardReportRow | undefined;
    return row ? toCardReport(row) : undefined;
  }

  /** Learners' card reports, newest first. */
  cardReports(limit = 1000): CardReport[] {
    return (this.db.prepare('SELECT * FROM card_reports ORDER BY reported_at DESC, id DESC LIMIT ?').all(limit) as CardReportRow[]).map(toCardReport);
  }

  /** Adds a question to the curation queue, or counts it again; a handled one opens again. */
  addToCuration(question: string, reason: CurationReason, topic: string | null): CurationItem {
    const q = question.trim().slice(0, MAX_QUESTION);
    if (!q) throw new AcademyError(400, 'A question is needed', 'question');
    const now = this.clock.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO curation (question_key, reason, question, first_asked, last_asked, topic) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (question_key, reason) DO UPDATE SET count = count + 1, last_asked = excluded.last_asked,
           status = CASE WHEN status = 'handled' THEN 'open' ELSE status END`,
      )
      .run(questionKey(q), reason, q, now, now, topic);
    const row = this.db.prepare('SELECT * FROM curation WHERE question_key = ? AND reason = ?').get(questionKey(q), reason) as CurationRow;
    return toItem(row);
  }

  curation(status: CurationItem['status'] | 'all' = 'open', limit = 200): CurationItem[] {
    const rows = (
      status === 'all'
        ? this.db.prepare('SELECT * FROM curation ORDER BY count DESC, last_asked DESC LIMIT ?').all(limit)
        : this.db.prepare('SELECT * FROM curation WHERE status = ? ORDER BY count DESC, last_asked DESC LIMIT ?').all(status, limit)
    ) as CurationRow[];
    return rows.map(toItem);
  }

  /** A curator attaches a question to a topic as a new phrasing; returns the item as now. */
  attach(id: number, topic: string): CurationItem {
    const r = this.db.prepare(`UPDATE curation SET status = 'attached', attached_to = ? WHERE id = ?`).run(topic, id);
    if (r.changes === 0) throw new AcademyError(404, `No curation item ${id}`, 'id');
    return toItem(this.db.prepare('SELECT * FROM curation WHERE id = ?').get(id) as CurationRow);
  }

  markHandled(id: number): void {
    const r = this.db.prepare(`UPDATE curation SET status = 'handled' WHERE id = ?`).run(id);
    if (r.changes === 0) throw new AcademyError(404, `No curation item ${id}`, 'id');
  }

  /** Phrasings curators attached, by topic, to add to the search index. */
  attachedPhrasings(): { topic: string; question: string }[] {
    return (this.db.prepare(`SELECT attached_to AS topic, question FROM curation WHERE status = 'attached'`).all() as { topic: string; question: string }[]);
  }

  createHelpRequest(learnerId: string, question: string, learner: Partial<ConversationReference>): HelpRequest {
    const q = question.trim().slice(0, MAX_QUESTION);
    if (!q) throw new AcademyError(400, 'A question is needed', 'question');
    const id = this.ids.uuid();
    this.db
      .prepare('INSERT INTO help_requests (id, learner_id, question, asked_at, learner_ref) VALUES (?, ?, ?, ?, ?)')
      .run(id, learnerId, q, this.clock.now().toISOString(), JSON.stringify(withoutNames(learner)));
    return this.helpRequest(id)!;
  }

  helpRequest(id: string): HelpRequest | undefined {
    const row = this.db.prepare('SELECT * FROM help_requests WHERE id = ?').get(id) as HelpRow | undefined;
    return row ? toHelp(row) : undefined;
  }

  /** Records a champion's reply; a request is answered once. */
  answerHelpRequest(id: string, reply: string, championId: string): HelpRequest {
    const text = reply.trim().slice(0, MAX_QUESTION);
    if (!text) throw new AcademyError(400, 'The reply is empty', 'reply');
    const r = this.db
      .prepare('UPDATE help_requests SET answered_at = ?, reply = ?, champion_id = ? WHERE id = ? AND answered_at IS NULL')
      .run(this.clock.now().toISOString(), text, championId, id);
    if (r.changes === 0) throw new AcademyError(this.helpRequest(id) ? 409 : 404, this.helpRequest(id) ? 'This question was already answered' : 'No such question', 'request');
    return this.helpRequest(id)!;
  }

  helpRequests(which: 'open' | 'all' = 'all', limit = 200): HelpRequest[] {
    const rows = (
      which === 'open'
        ? this.db.prepare('SELECT * FROM help_requests WHERE answered_at IS NULL ORDER BY asked_at LIMIT ?').all(limit)
        : this.db.prepare('SELECT * FROM help_requests ORDER BY asked_at DESC LIMIT ?').all(limit)
    ) as HelpRow[];
    return rows.map(toHelp);
  }

  /** Forgets a learner's help requests (their right to erasure). */
  eraseLearner(learnerId: string): number {
    return this.db.prepare('DELETE FROM help_requests WHERE learner_id = ?').run(learnerId).changes;
  }

  private setting(name: string): unknown {
    const row = this.db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  }

  private setSetting(name: string, value: unknown): void {
    this.db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, JSON.stringify(value));
  }

  /** The champions' conversation an admin picked (config wins over it; see ChampionsDirectory). */
  pickedChampions(): ChampionsPlace | undefined {
    const v = this.setting('champions-pick');
    return isPlace(v) ? v : undefined;
  }

  pickChampions(place: ChampionsPlace): void {
    this.setSetting('champions-pick', place);
  }

  /** Where to send questions for the champions' place `placeId`: the last reference seen there. */
  championsReference(placeId: string): Partial<ConversationReference> | undefined {
    const v = this.setting('champions-ref');
    if (typeof v !== 'object' || v === null || !('place' in v) || !('ref' in v) || v.place !== placeId) return undefined;
    return v.ref as Partial<ConversationReference>;
  }

  setChampionsReference(placeId: string, ref: Partial<ConversationReference>): void {
    this.setSetting('champions-ref', { place: placeId, ref: withoutNames(ref) });
  }

  /** A Teams group conversation the bot was added to or asked in: an admin may pick it. Keeps the latest 20. */
  noteChampionCandidate(candidate: Omit<ChampionCandidate, 'seenAt'>): void {
    this.db
      .prepare(
        `INSERT INTO champion_candidates (conversation_id, team_id, kind, ref, seen_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET team_id = excluded.team_id, kind = excluded.kind, ref = excluded.ref, seen_at = excluded.seen_at`,
      )
      .run(candidate.conversationId, candidate.teamId ?? null, candidate.kind, JSON.stringify(withoutNames(candidate.ref)), this.clock.now().toISOString());
    this.db.exec('DELETE FROM champion_candidates WHERE conversation_id NOT IN (SELECT conversation_id FROM champion_candidates ORDER BY seen_at DESC LIMIT 20)');
  }

  championCandidates(): ChampionCandidate[] {
    const rows = this.db.prepare('SELECT * FROM champion_candidates ORDER BY seen_at DESC').all() as CandidateRow[];
    return rows.map((r) => ({ conversationId: r.conversation_id, ...(r.team_id ? { teamId: r.team_id } : {}), kind: r.kind, ref: JSON.parse(r.ref) as Partial<ConversationReference>, seenAt: r.seen_at }));
  }

  /** Whether the champion (by Entra object id) agreed to learners seeing their first name. */
  championSharesName(aadObjectId: string): boolean {
    const row = this.db.prepare('SELECT share_first_name FROM champion_prefs WHERE aad_object_id = ?').get(aadObjectId) as { share_first_name: number } | undefined;
    return row?.share_first_name === 1;
  }

  setChampionSharesName(aadObjectId: string, share: boolean): void {
    this.db
      .prepare('INSERT INTO champion_prefs (aad_object_id, share_first_name) VALUES (?, ?) ON CONFLICT (aad_object_id) DO UPDATE SET share_first_name = excluded.share_first_name')
      .run(aadObjectId, share ? 1 : 0);
  }

  close(): void {
    this.db.close();
  }
}

/** The champions' conversation: a whole Teams team (any channel of it) or one conversation. */
export interface ChampionsPlace {
  readonly kind: 'team' | 'conversation';
  readonly id: string;
}

export interface ChampionCandidate {
  readonly conversationId: string;
  readonly teamId?: string;
  /** channel or groupChat */
  readonly kind: string;
  readonly ref: Partial<ConversationReference>;
  readonly seenAt: string;
}

interface CandidateRow {
  conversation_id: string;
  team_id: string | null;
  kind: string;
  ref: string;
  seen_at: string;
}

function isPlace(v: unknown): v is ChampionsPlace {
  return typeof v === 'object' && v !== null && 'kind' in v && 'id' in v && (v.kind === 'team' || v.kind === 'conversation') && typeof v.id === 'string';
}

/** A conversation reference without display names (Teams gives the user's, the bot's and the chat's): names are kept empty. */
export function withoutNames(ref: Partial<ConversationReference>): Partial<ConversationReference> {
  const { user, bot, conversation, ...rest } = ref;
  return {
    ...rest,
    ...(user ? { user: { id: user.id, name: '', ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}), ...(user.role ? { role: user.role } : {}) } } : {}),
    ...(bot ? { bot: { id: bot.id, name: '', ...(bot.role ? { role: bot.role } : {}) } } : {}),
    ...(conversation
      ? { conversation: { id: conversation.id, name: '', isGroup: conversation.isGroup, conversationType: conversation.conversationType, ...(conversation.tenantId ? { tenantId: conversation.tenantId } : {}) } }
      : {}),
  };
}

function toItem(r: CurationRow): CurationItem {
  return {
    id: r.id,
    question: r.question,
    reason: r.reason,
    count: r.count,
    firstAsked: r.first_asked,
    lastAsked: r.last_asked,
    topic: r.topic,
    status: r.status,
    attachedTo: r.attached_to,
    card: r.card ?? null,
  };
}

function toCardReport(r: CardReportRow): CardReport {
  return { id: r.id, card: r.card, topic: r.topic, note: r.note, reportedAt: r.reported_at, curationId: r.curation_id };
}

function toHelp(r: HelpRow): HelpRequest {
  return {
    id: r.id,
    learnerId: r.learner_id,
    question: r.question,
    askedAt: r.asked_at,
    answeredAt: r.answered_at,
    reply: r.reply,
    championId: r.champion_id,
    learner: JSON.parse(r.learner_ref) as Partial<ConversationReference>,
  };
}
