import Database from 'better-sqlite3';
import type { ConversationReference } from 'botbuilder';
import { AcademyError } from '../errors.js';
import type { Clock, IdGenerator } from '../ports.js';

/** Why a question is in the curation queue. */
export type CurationReason = 'no-answer' | 'low-rating' | 'did-you-mean';

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
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
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
    `);
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
      .run(id, learnerId, q, this.clock.now().toISOString(), JSON.stringify(learner));
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

  setChampionsConversation(ref: Partial<ConversationReference>): void {
    this.db.prepare(`INSERT INTO settings (name, value) VALUES ('champions', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(JSON.stringify(ref));
  }

  championsConversation(): Partial<ConversationReference> | undefined {
    const row = this.db.prepare(`SELECT value FROM settings WHERE name = 'champions'`).get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as Partial<ConversationReference>) : undefined;
  }

  close(): void {
    this.db.close();
  }
}

function toItem(r: CurationRow): CurationItem {
  return { id: r.id, question: r.question, reason: r.reason, count: r.count, firstAsked: r.first_asked, lastAsked: r.last_asked, topic: r.topic, status: r.status, attachedTo: r.attached_to };
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
