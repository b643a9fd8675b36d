/**
 * Activity definitions as the Activities Resource returns them (xAPI-Communication.md §2.5): "all
 * available information about an Activity" from every statement that carried a definition for
 * its id. Definitions are merged as they arrive: language maps (name, description) and
 * extensions key by key, every other property taken from the newest statement.
 *
 * This is a derived table (like the filter index), kept in the statement store's transaction;
 * the statements themselves are never changed. A small in-memory cache skips the write when a
 * definition adds nothing new — the common case of a bot sending the same lesson definition in
 * every statement.
 */
import type Database from 'better-sqlite3';
import {
  CONTEXT_ACTIVITY_KINDS,
  contextActivityList,
  isSubStatement,
  type Activity,
  type ActivityDefinition,
  type Context,
  type Statement,
  type StatementObject,
} from './types.js';

const DDL = `
CREATE TABLE IF NOT EXISTS lrs_activities (
  id         TEXT PRIMARY KEY,                   -- activity id, as sent
  definition TEXT NOT NULL                       -- merged definition JSON
) WITHOUT ROWID;
`;

const CACHE_LIMIT = 5_000;
const MERGED_MAPS = ['name', 'description', 'extensions'] as const;

function isActivity(object: StatementObject): object is Activity {
  return object.objectType === undefined || object.objectType === 'Activity';
}

function contextActivities(context: Context | undefined): Activity[] {
  const kinds = context?.contextActivities;
  if (kinds === undefined) return [];
  return CONTEXT_ACTIVITY_KINDS.flatMap((kind) => (kinds[kind] === undefined ? [] : contextActivityList(kinds[kind])));
}

/** Every Activity of a statement that carries a definition (object, context, SubStatement). */
function definedActivities(statement: Statement): Activity[] {
  const out: Activity[] = [];
  const visit = (object: StatementObject, context: Context | undefined) => {
    if (isActivity(object)) out.push(object);
    out.push(...contextActivities(context));
  };
  visit(statement.object, statement.context);
  if (isSubStatement(statement.object)) visit(statement.object.object, statement.object.context);
  return out.filter((a) => a.definition !== undefined);
}

/** `newer` merged into `older`: maps key by key, everything else from `newer`. */
export function mergeDefinitions(older: ActivityDefinition, newer: ActivityDefinition): ActivityDefinition {
  const merged: ActivityDefinition = { ...older, ...newer };
  for (const key of MERGED_MAPS) {
    const a = older[key];
    const b = newer[key];
    if (a !== undefined && b !== undefined) Object.assign(merged, { [key]: { ...a, ...b } });
  }
  return merged;
}

export class ActivityDefinitions {
  private select!: Database.Statement<[string], { definition: string }>;
  private upsert!: Database.Statement<[string, string]>;
  /** id → merged definition JSON as stored. */
  private readonly cache = new Map<string, string>();
  /** id → the last definition JSON received: the same one again adds nothing. */
  private readonly lastReceived = new Map<string, string>();

  constructor(db: Database.Database) {
    const existed = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lrs_activities'`).get();
    if (existed === undefined) {
      // A store made before this table existed: create it and derive it from the statements,
      // oldest first, in one transaction (so a failed start leaves no half-built table).
      db.transaction(() => {
        db.exec(DDL);
        this.prepare(db);
        const rows = db.prepare<[number], { seq: number; statement: string }>(
          'SELECT seq, statement FROM lrs_statements WHERE seq > ? ORDER BY seq LIMIT 1000',
        );
        for (let after = 0; ; ) {
          const page = rows.all(after); // read a page, then write: one query at a time per connection
          if (page.length === 0) break;
          this.record(page.map((row) => JSON.parse(row.statement)));
          after = page[page.length - 1].seq;
        }
      })();
      this.cache.clear();
      this.lastReceived.clear();
    } else {
      this.prepare(db);
    }
  }

  private prepare(db: Database.Database): void {
    this.select = db.prepare<[string], { definition: string }>('SELECT definition FROM lrs_activities WHERE id = ?');
    this.upsert = db.prepare<[string, string]>(
      `INSERT INTO lrs_activities (id, definition) VALUES (?, ?)
       ON CONFLICT (id) DO UPDATE SET definition = excluded.definition`,
    );
  }

  private stored(id: string): string | undefined {
    const hit = this.cache.get(id);
    if (hit !== undefined) return hit;
    return this.select.get(id)?.definition;
  }

  /** Merges the definitions the statements carry (call inside the insert transaction). */
  record(statements: readonly Statement[]): void {
    for (const statement of statements) {
      for (const activity of definedActivities(statement)) {
        if (activity.definition === undefined) continue;
        const received = JSON.stringify(activity.definition);
        if (this.lastReceived.get(activity.id) === received) continue;
        if (this.lastReceived.size >= CACHE_LIMIT) this.lastReceived.clear();
        this.lastReceived.set(activity.id, received);
        const before = this.stored(activity.id);
        const merged = JSON.stringify(
          before === undefined ? activity.definition : mergeDefinitions(JSON.parse(before), activity.definition),
        );
        if (merged !== before) this.upsert.run(activity.id, merged);
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(activity.id, merged);
      }
    }
  }

  /** Forgets cached definitions (after a rolled-back transaction). */
  reset(): void {
    this.cache.clear();
    this.lastReceived.clear();
  }

  /** The merged definition of an Activity, if any statement carried one. */
  definition(id: string): ActivityDefinition | undefined {
    const json = this.stored(id);
    return json === undefined ? undefined : JSON.parse(json);
  }
}
