/**
 * The `format` parameter of GET statements (Communication §2.1.3):
 *
 *  - exact:     statements as stored (the default);
 *  - ids:       Agents/Groups reduced to their IFI (Anonymous Groups to their members' IFIs),
 *               Activities to their id, Verbs to their id;
 *  - canonical: Activity and Verb language maps reduced to the one language that best matches
 *               the request's Accept-Language (§2.1.3.s4). Agents and Groups as in exact.
 *
 * Canonical Activity definitions (the LRS's merged definition per Activity id) are not kept yet:
 * the definition received with each statement is used.
 */
import { ifiOnly } from './agents.js';
import type {
  Activity,
  ActivityDefinition,
  Actor,
  Agent,
  Context,
  ContextActivities,
  Group,
  InteractionComponent,
  LanguageMap,
  StatementObject,
  StoredStatement,
  SubStatement,
  Verb,
} from './types.js';
import { CONTEXT_ACTIVITY_KINDS, contextActivityList, isActivity, isSubStatement } from './types.js';

export const STATEMENT_FORMATS = ['exact', 'ids', 'canonical'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export function isStatementFormat(value: string): value is StatementFormat {
  return (STATEMENT_FORMATS as readonly string[]).includes(value);
}

// --- shared walk ------------------------------------------------------------------------------

interface Transform {
  actor(actor: Actor): Actor;
  verb(verb: Verb): Verb;
  activity(activity: Activity): Activity;
}

function mapContextActivities(activities: ContextActivities, t: Transform): ContextActivities {
  const out: ContextActivities = {};
  for (const kind of CONTEXT_ACTIVITY_KINDS) {
    if (activities[kind] !== undefined) out[kind] = contextActivityList(activities[kind]).map((a) => t.activity(a));
  }
  return out;
}

function mapContext(context: Context, t: Transform): Context {
  const out: Context = { ...context };
  if (context.instructor) out.instructor = t.actor(context.instructor);
  if (context.team) {
    const team = t.actor(context.team);
    if (team.objectType === 'Group') out.team = team;
  }
  if (context.contextActivities) out.contextActivities = mapContextActivities(context.contextActivities, t);
  return out;
}

function mapObject(object: StatementObject, t: Transform): StatementObject {
  if (isActivity(object)) return t.activity(object);
  if (object.objectType === 'Agent' || object.objectType === 'Group') return t.actor(object);
  if (isSubStatement(object)) {
    const sub: SubStatement = { ...object, actor: t.actor(object.actor), verb: t.verb(object.verb) };
    const inner = mapObject(object.object, t);
    if (!isSubStatement(inner)) sub.object = inner;
    if (object.context) sub.context = mapContext(object.context, t);
    return sub;
  }
  return object;
}

function mapStatement(statement: StoredStatement, t: Transform): StoredStatement {
  const out: StoredStatement = {
    ...statement,
    actor: t.actor(statement.actor),
    verb: t.verb(statement.verb),
    object: mapObject(statement.object, t),
    authority: t.actor(statement.authority),
  };
  if (statement.context) out.context = mapContext(statement.context, t);
  return out;
}

// --- ids --------------------------------------------------------------------------------------

function idsAgent(agent: Agent): Agent {
  const out: Agent = {};
  if (agent.objectType) out.objectType = agent.objectType;
  return { ...out, ...ifiOnly(agent) };
}

function idsActor(actor: Actor): Actor {
  if (actor.objectType !== 'Group') return idsAgent(actor);
  const ifi = ifiOnly(actor);
  if (Object.keys(ifi).length > 0) return { objectType: 'Group', ...ifi };
  const group: Group = { objectType: 'Group' };
  if (actor.member) group.member = actor.member.map(idsAgent);
  return group;
}

const IDS: Transform = {
  actor: idsActor,
  verb: (verb) => ({ id: verb.id }),
  // "only ids" (Communication §2.1.3): an Activity is its id; objectType Activity is the default.
  activity: (activity) => ({ id: activity.id }),
};

// --- canonical (language filtering) -----------------------------------------------------------

interface LanguageRange {
  tag: string;
  q: number;
}

/** Parses an Accept-Language header into ranges, best first (RFC 7231 §5.3.5). */
export function parseAcceptLanguage(header: string | undefined): LanguageRange[] {
  if (!header) return [];
  const ranges: LanguageRange[] = [];
  for (const part of header.split(',')) {
    const [tagPart, ...params] = part.trim().split(';');
    const tag = tagPart.trim().toLowerCase();
    if (!tag) continue;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.trim().split('=');
      if (name?.trim() === 'q') q = Number(value);
    }
    if (Number.isFinite(q) && q > 0) ranges.push({ tag, q });
  }
  return ranges.sort((a, b) => b.q - a.q);
}

/** The map's best entry for the ranges: exact tag, then a more specific tag, then a truncated range. */
export function pickLanguage(map: LanguageMap, ranges: LanguageRange[]): LanguageMap {
  const tags = Object.keys(map);
  if (tags.length <= 1) return map;
  const lower = tags.map((t) => t.toLowerCase());
  const choose = (index: number): LanguageMap => ({ [tags[index]]: map[tags[index]] });
  for (const { tag } of ranges) {
    if (tag === '*') return choose(0);
    const exact = lower.indexOf(tag);
    if (exact >= 0) return choose(exact);
    const narrower = lower.findIndex((t) => t.startsWith(`${tag}-`));
    if (narrower >= 0) return choose(narrower);
    const parts = tag.split('-');
    while (parts.length > 1) {
      parts.pop();
      const truncated = lower.indexOf(parts.join('-'));
      if (truncated >= 0) return choose(truncated);
    }
  }
  return choose(0);
}

function canonicalComponents(list: InteractionComponent[], ranges: LanguageRange[]): InteractionComponent[] {
  return list.map((c) => (c.description ? { ...c, description: pickLanguage(c.description, ranges) } : c));
}

function canonicalDefinition(definition: ActivityDefinition, ranges: LanguageRange[]): ActivityDefinition {
  const out: ActivityDefinition = { ...definition };
  if (definition.name) out.name = pickLanguage(definition.name, ranges);
  if (definition.description) out.description = pickLanguage(definition.description, ranges);
  for (const list of ['choices', 'scale', 'source', 'target', 'steps'] as const) {
    const components = definition[list];
    if (components) out[list] = canonicalComponents(components, ranges);
  }
  return out;
}

function canonicalTransform(ranges: LanguageRange[]): Transform {
  return {
    actor: (actor) => actor,
    verb: (verb) => (verb.display ? { ...verb, display: pickLanguage(verb.display, ranges) } : verb),
    activity: (activity) =>
      activity.definition ? { ...activity, definition: canonicalDefinition(activity.definition, ranges) } : activity,
  };
}

/** The statement in the requested format. */
export function formatStatement(
  statement: StoredStatement,
  format: StatementFormat,
  acceptLanguage?: string,
): StoredStatement {
  switch (format) {
    case 'exact':
      return statement;
    case 'ids':
      return mapStatement(statement, IDS);
    case 'canonical':
      return mapStatement(statement, canonicalTransform(parseAcceptLanguage(acceptLanguage)));
  }
}
