/**
 * The admin's aggregate store (SQLite, DATA_DIR/admin.sqlite), kept up to date incrementally:
 * `catchUp()` reads the statements stored since its cursor from any StatementSource (ascending,
 * paged with `more`) and adds each to small counter tables; a voiding statement takes its target's
 * contribution off again. Page views read the counters; they never scan the statements.
 *
 * Counters are keyed by strings (see `factKeys`): for each key we keep the number of statements and
 * the number of distinct learners, the latter through a (key, learner) → n table, so every figure
 * knows how many learners it is about (the MIN_COHORT rule) and voiding can undo it exactly.
 */
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage/sqlite.js';
import type { StoredStatement } from '../lrs/types.js';
import { VOIDED_VERB } from '../lrs/types.js';
import { VERBS } from '../xapi/profile.js';
import type { StatementSource } from '../records/ports.js';

const DDL = `
CREATE TABLE IF NOT EXISTS agg_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS agg_facts (
  id      TEXT PRIMARY KEY,        -- statement id (lowercase)
  learner TEXT NOT NULL,
  day     TEXT NOT NULL,           -- YYYY-MM-DD of the statement's timestamp (UTC)
  keys    TEXT NOT NULL            -- the counter keys it added to, one per line
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS agg_facts_learner ON agg_facts (learner);
CREATE TABLE IF NOT EXISTS agg_voided (id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS agg_learner_key (
  key     TEXT NOT NULL,
  learner TEXT NOT NULL,
  n       INTEGER NOT NULL,
  PRIMARY KEY (key, learner)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS agg_counts (
  key        TEXT PRIMARY KEY,
  learners   INTEGER NOT NULL,
  statements INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS agg_learner_day (
  day     TEXT NOT NULL,
  learner TEXT NOT NULL,
  n       INTEGER NOT NULL,
  PRIMARY KEY (day, learner)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS agg_names (key TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
`;

export interface Count {
  readonly key: string;
  readonly learners: number;
  readonly statements: number;
}

export interface CatchUpResult {
  readonly processed: number;
  /** False when the time budget ran out first: there are more statements to read. */
  readonly upToDate: boolean;
}

interface Cursor {
  /** `stored` of the newest statement read (ISO). */
  stored: string;
  /** Ids read with exactly that `stored`: the next read starts 1 ms before it and skips them. */
  ids: string[];
}

export const LESSON_KINDS = ['started', 'completed', 'passed', 'failed'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];

const LESSON_VERBS: Record<string, LessonKind> = {
  [VERBS.attempted.id]: 'started',
  [VERBS.completed.id]: 'completed',
  [VERBS.passed.id]: 'passed',
  [VERBS.failed.id]: 'failed',
};

/** Position numbers are zero-padded so keys sort in lesson order. */
export const pad = (n: number | string): string => String(n).padStart(3, '0');

function ext(s: StoredStatement, base: string, name: string): unknown {
  return s.context?.extensions?.[`${base}/extensions/${name}`];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length < 200 ? value : undefined;
}

function nameOf(s: StoredStatement): string | undefined {
  const object = s.object as { definition?: { name?: Record<string, string> } };
  const names = object.definition?.name;
  return names ? (names['en-GB'] ?? names['en'] ?? Object.values(names)[0]) : undefined;
}

interface Fact {
  learner: string;
  day: string;
  keys: string[];
  names: [string, string][];
}

/**
 * The counter keys one statement adds to. `base` is XAPI_ID_BASE: lesson, card and question ids
 * and the extensions are read by their documented IRIs (docs/xapi.md).
 */
export function factOf(s: StoredStatement, base: string): Fact | undefined {
  const learner = s.actor.account?.name;
  if (!learner) return undefined;
  const time = Date.parse(s.timestamp);
  const day = new Date(Number.isNaN(time) ? Date.parse(s.stored) : time).toISOString().slice(0, 10);
  const keys = [`day:${day}:active`, 'all:active'];
  const names: [string, string][] = [];
  const channel = text(ext(s, base, 'channel'));
  const audience = text(ext(s, base, 'audience'));
  const topic = text(ext(s, base, 'topic'));
  const framework = ext(s, base, 'framework') as { hee?: unknown } | undefined;
  const domain = text(framework?.hee);
  const objectId = (s.object as { id?: unknown }).id;
  const lessonPrefix = `${base}/activities/lesson/`;
  if (typeof objectId === 'string' && objectId.startsWith(lessonPrefix)) {
    const [lessonRaw, part, n] = objectId.slice(lessonPrefix.length).split('/');
    const lesson = decodeURIComponent(lessonRaw ?? '');
    const kind = LESSON_VERBS[s.verb.id];
    const name = nameOf(s);
    if (part === undefined && kind) {
      keys.push(`all:${kind}`, `lesson:${lesson}:${kind}`, `day:${day}:${kind}`);
      if (channel) keys.push(`dim:channel:${channel}:${kind}`);
      if (audience) keys.push(`dim:audience:${audience}:${kind}`);
      if (topic) keys.push(`dim:area:${topic.split('.')[0]}:${kind}`);
      if (domain) keys.push(`dim:domain:${domain}:${kind}`);
      if (name) names.push([`lesson:${lesson}`, name]);
      if (topic) names.push([`topic:${lesson}`, topic]);
    } else if (part === 'card' && n && s.verb.id === VERBS.experienced.id) {
      keys.push(`card:${lesson}:${pad(n)}`);
      if (name) names.push([`card:${lesson}:${pad(n)}`, name]);
    } else if (part === 'question' && n && s.verb.id === VERBS.answered.id) {
      keys.push(`answered:${lesson}:${pad(n)}`);
      if (s.result?.success === false) keys.push(`wrong:${lesson}:${pad(n)}`);
      if (name) names.push([`question:${lesson}:${pad(n)}`, name]);
    }
  }
  return { learner, day, keys, names };
}

export interface AggregateStoreOptions {
  /** SQLite file or ':memory:'. */
  readonly file: string;
  readonly source: StatementSource;
  /** XAPI_ID_BASE. */
  readonly idBase: string;
  /** Statements per read (default 500; the LRS may cap it). */
  readonly pageSize?: number;
}

export class AggregateStore {
  readonly db: Database.Database;
  private readonly source: StatementSource;
  private readonly idBase: string;
  private readonly pageSize: number;
  private running: Promise<CatchUpResult> | undefined;
  private readonly knownNames = new Map<string, string>();
  private voidedPending: number;

  private readonly getMeta;
  private readonly setMeta;
  private readonly insertFact;
  private readonly selectFact;
  private readonly deleteFact;
  private readonly upsertLearnerKey;
  private readonly deleteLearnerKey;
  private readonly upsertCount;
  private readonly upsertLearnerDay;
  private readonly deleteLearnerDay;
  private readonly upsertName;
  private readonly insertVoided;
  private readonly takeVoided;
  private readonly countVoided;
  private readonly selectPrefix;
  private readonly selectOne;
  private readonly activeSince;
  private readonly applyPage;

  constructor(options: AggregateStoreOptions) {
    this.source = options.source;
    this.idBase = options.idBase;
    this.pageSize = options.pageSize ?? 500;
    // The per-learner tables of a large record are hot while catching up: keep their pages in memory.
    this.db = openSqlite(options.file, { synchronous: 'NORMAL', cacheKb: 65536 });
    this.db.exec(DDL);
    const db = this.db;
    this.getMeta = db.prepare<[string], { value: string }>(`SELECT value FROM agg_meta WHERE key = ?`);
    this.setMeta = db.prepare<[string, string]>(`INSERT INTO agg_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    this.insertFact = db.prepare<[string, string, string, string]>(`INSERT OR IGNORE INTO agg_facts (id, learner, day, keys) VALUES (?, ?, ?, ?)`);
    this.selectFact = db.prepare<[string], { learner: string; day: string; keys: string }>(`SELECT learner, day, keys FROM agg_facts WHERE id = ?`);
    this.deleteFact = db.prepare<[string]>(`DELETE FROM agg_facts WHERE id = ?`);
    this.upsertLearnerKey = db.prepare<[string, string, number], { n: number }>(
      `INSERT INTO agg_learner_key (key, learner, n) VALUES (?, ?, ?)
       ON CONFLICT (key, learner) DO UPDATE SET n = n + excluded.n RETURNING n`,
    );
    this.deleteLearnerKey = db.prepare<[string, string]>(`DELETE FROM agg_learner_key WHERE key = ? AND learner = ? AND n <= 0`);
    this.upsertCount = db.prepare<[string, number, number]>(
      `INSERT INTO agg_counts (key, learners, statements) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET learners = learners + excluded.learners, statements = statements + excluded.statements`,
    );
    this.upsertLearnerDay = db.prepare<[string, string, number], { n: number }>(
      `INSERT INTO agg_learner_day (day, learner, n) VALUES (?, ?, ?)
       ON CONFLICT (day, learner) DO UPDATE SET n = n + excluded.n RETURNING n`,
    );
    this.deleteLearnerDay = db.prepare<[string, string]>(`DELETE FROM agg_learner_day WHERE day = ? AND learner = ? AND n <= 0`);
    this.upsertName = db.prepare<[string, string]>(`INSERT INTO agg_names (key, name) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET name = excluded.name`);
    this.insertVoided = db.prepare<[string]>(`INSERT OR IGNORE INTO agg_voided (id) VALUES (?)`);
    this.takeVoided = db.prepare<[string]>(`DELETE FROM agg_voided WHERE id = ?`);
    this.countVoided = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM agg_voided`);
    this.selectPrefix = db.prepare<[string, string], Count>(`SELECT key, learners, statements FROM agg_counts WHERE key >= ? AND key < ? ORDER BY key`);
    this.selectOne = db.prepare<[string], Count>(`SELECT key, learners, statements FROM agg_counts WHERE key = ?`);
    this.activeSince = db.prepare<[string], { n: number }>(`SELECT count(DISTINCT learner) AS n FROM agg_learner_day WHERE day >= ?`);
    this.applyPage = db.transaction((statements: readonly StoredStatement[], cursor: Cursor) => this.apply(statements, cursor));
    this.voidedPending = this.countVoided.get()?.n ?? 0;
    for (const row of db.prepare<[], { key: string; name: string }>(`SELECT key, name FROM agg_names`).all()) this.knownNames.set(row.key, row.name);
  }

  // --- reading ------------------------------------------------------------------------------

  /** Counters whose key starts with `prefix`. */
  prefix(prefix: string): Count[] {
    return this.selectPrefix.all(prefix, prefix + '\uffff');
  }

  count(key: string): Count {
    return this.selectOne.get(key) ?? { key, learners: 0, statements: 0 };
  }

  /** Distinct learners with any statement on or after this day (YYYY-MM-DD). */
  activeLearnersSince(day: string): number {
    return this.activeSince.get(day)?.n ?? 0;
  }

  name(key: string): string | undefined {
    return this.knownNames.get(key);
  }

  /** The `stored` time of the newest statement counted, or '' before the first. */
  get lastStored(): string {
    return this.cursor().stored;
  }

  // --- feeding ------------------------------------------------------------------------------

  /**
   * Reads and counts the statements stored since the cursor, for at most `budgetMs` (then the rest
   * is left for the next call). One catch-up runs at a time; a second caller shares it.
   */
  catchUp(budgetMs = Number.POSITIVE_INFINITY): Promise<CatchUpResult> {
    this.running ??= this.run(budgetMs).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private cursor(): Cursor {
    const raw = this.getMeta.get('cursor')?.value;
    return raw ? (JSON.parse(raw) as Cursor) : { stored: '', ids: [] };
  }

  private async run(budgetMs: number): Promise<CatchUpResult> {
    const started = performance.now();
    let processed = 0;
    for (;;) {
      const cursor = this.cursor();
      const seen = new Set(cursor.ids);
      const since = cursor.stored ? new Date(Date.parse(cursor.stored) - 1).toISOString() : undefined;
      let page = await this.source.query({ ascending: true, limit: this.pageSize, ...(since ? { since } : {}) });
      let fresh = 0;
      for (;;) {
        const news = page.statements.filter((s) => !seen.has(s.id.toLowerCase()));
        if (news.length > 0) {
          const next = this.applyPage(news, this.cursor());
          for (const id of next.ids) seen.add(id);
          fresh += news.length;
          processed += news.length;
        }
        if (!page.more) break;
        if (performance.now() - started > budgetMs) return { processed, upToDate: false };
        page = await this.source.more(page.more);
      }
      if (fresh === 0) return { processed, upToDate: true };
      if (performance.now() - started > budgetMs) return { processed, upToDate: false };
    }
  }

  private apply(statements: readonly StoredStatement[], cursor: Cursor): Cursor {
    const keyDeltas = new Map<string, Map<string, number>>();
    const dayDeltas = new Map<string, number>();
    const statementDeltas = new Map<string, number>();
    const add = (learner: string, day: string, keys: readonly string[], sign: 1 | -1) => {
      for (const key of keys) {
        let perLearner = keyDeltas.get(key);
        if (!perLearner) keyDeltas.set(key, (perLearner = new Map()));
        perLearner.set(learner, (perLearner.get(learner) ?? 0) + sign);
        statementDeltas.set(key, (statementDeltas.get(key) ?? 0) + sign);
      }
      const dayKey = `${day}\n${learner}`;
      dayDeltas.set(dayKey, (dayDeltas.get(dayKey) ?? 0) + sign);
    };

    let next = cursor;
    for (const s of statements) {
      const id = s.id.toLowerCase();
      if (s.stored > next.stored) next = { stored: s.stored, ids: [id] };
      else if (s.stored === next.stored) next = { stored: next.stored, ids: [...next.ids, id] };
      if (s.verb.id === VOIDED_VERB) {
        const target = (s.object as { id?: unknown }).id;
        if (typeof target !== 'string') continue;
        const targetId = target.toLowerCase();
        const fact = this.selectFact.get(targetId);
        if (fact) {
          add(fact.learner, fact.day, fact.keys.split('\n'), -1);
          this.deleteFact.run(targetId);
        } else {
          this.insertVoided.run(targetId);
          this.voidedPending++;
        }
        continue;
      }
      if (this.voidedPending > 0 && this.takeVoided.run(id).changes > 0) {
        this.voidedPending--;
        continue; // voided before it arrived
      }
      const fact = factOf(s, this.idBase);
      if (!fact) continue;
      if (this.insertFact.run(id, fact.learner, fact.day, fact.keys.join('\n')).changes === 0) continue;
      add(fact.learner, fact.day, fact.keys, 1);
      for (const [key, name] of fact.names) {
        if (this.knownNames.get(key) === name) continue;
        this.knownNames.set(key, name);
        this.upsertName.run(key, name);
      }
    }

    for (const [key, perLearner] of keyDeltas) {
      let learners = 0;
      for (const [learner, delta] of perLearner) {
        if (delta === 0) continue;
        const n = this.upsertLearnerKey.get(key, learner, delta)?.n ?? 0;
        const before = n - delta;
        if (before <= 0 && n > 0) learners++;
        if (before > 0 && n <= 0) {
          learners--;
          this.deleteLearnerKey.run(key, learner);
        }
      }
      this.upsertCount.run(key, learners, statementDeltas.get(key) ?? 0);
    }
    for (const [dayKey, delta] of dayDeltas) {
      if (delta === 0) continue;
      const [day, learner] = dayKey.split('\n') as [string, string];
      const n = this.upsertLearnerDay.get(day, learner, delta)?.n ?? 0;
      if (n <= 0) this.deleteLearnerDay.run(day, learner);
    }
    this.setMeta.run('cursor', JSON.stringify(next));
    return next;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
