/**
 * The filter keys a statement is indexed under, one row each in `statement_index`, so every
 * GET statements filter (Communication §2.1.3) is an index range scan ordered by sequence:
 *
 *   verb:<iri>          the verb                                       (verb=)
 *   registration:<uuid> context.registration                           (registration=)
 *   agent:<ifi>         actor / object Agent or Group (and members)    (agent=)
 *   agent*:<ifi>        authority, instructor, team, SubStatement      (agent= & related_agents=true)
 *   activity:<iri>      object Activity                                (activity=)
 *   activity*:<iri>     context activities, SubStatement's             (activity= & related_activities=true)
 *
 * A related key (agent*:, activity*:) is only written when the statement does not already have
 * the direct key for the same agent or activity: a related filter matches the rows of both
 * (matchingKeys), which saves a row, and a page write, per statement. Stores written before
 * that have both rows for a direct match; the store's union of the two drops the duplicates.
 *
 * A statement whose object is a StatementRef also has the keys of the statement it targets, and
 * so on down the chain (Communication §2.1.3.s3): the store adds those (StatementStore.chainKeys).
 */
import { actorKeys } from './agents.js';
import {
  CONTEXT_ACTIVITY_KINDS,
  contextActivityList,
  isActivity,
  isAgentObject,
  isGroup,
  isSubStatement,
  type Actor,
  type Context,
  type Statement,
  type StatementObject,
} from './types.js';

export const keyOf = {
  verb: (id: string) => `verb:${id}`,
  registration: (uuid: string) => `registration:${uuid.toLowerCase()}`,
  agent: (ifi: string, related: boolean) => `${related ? 'agent*' : 'agent'}:${ifi}`,
  activity: (id: string, related: boolean) => `${related ? 'activity*' : 'activity'}:${id}`,
};

const RELATED_TO_DIRECT: readonly (readonly [string, string])[] = [
  ['agent*:', 'agent:'],
  ['activity*:', 'activity:'],
];

/** The index keys whose rows a filter key matches: a related key also matches the direct one's. */
export function matchingKeys(key: string): string[] {
  for (const [related, direct] of RELATED_TO_DIRECT) {
    if (key.startsWith(related)) return [key, direct + key.slice(related.length)];
  }
  return [key];
}

function objectActor(object: StatementObject): Actor | undefined {
  if (isGroup(object) || isAgentObject(object)) return object;
  return undefined;
}

function contextActivityIds(context: Context | undefined): string[] {
  const ids: string[] = [];
  const activities = context?.contextActivities;
  if (!activities) return ids;
  for (const kind of CONTEXT_ACTIVITY_KINDS) {
    for (const activity of contextActivityList(activities[kind])) ids.push(activity.id);
  }
  return ids;
}

function contextActors(context: Context | undefined): Actor[] {
  const actors: Actor[] = [];
  if (context?.instructor) actors.push(context.instructor);
  if (context?.team) actors.push(context.team);
  return actors;
}

/** The statement's own index keys (without those inherited through a StatementRef). */
export function statementIndexKeys(statement: Statement): string[] {
  const keys = new Set<string>();
  keys.add(keyOf.verb(statement.verb.id));
  if (statement.context?.registration) keys.add(keyOf.registration(statement.context.registration));

  const direct: Actor[] = [statement.actor];
  const target = objectActor(statement.object);
  if (target) direct.push(target);
  const related: Actor[] = [...direct, ...contextActors(statement.context)];
  if (statement.authority) related.push(statement.authority);

  const relatedActivities = contextActivityIds(statement.context);
  if (isActivity(statement.object)) {
    keys.add(keyOf.activity(statement.object.id, false));
    relatedActivities.push(statement.object.id);
  }

  if (isSubStatement(statement.object)) {
    const sub = statement.object;
    related.push(sub.actor, ...contextActors(sub.context));
    const subTarget = objectActor(sub.object);
    if (subTarget) related.push(subTarget);
    if (isActivity(sub.object)) relatedActivities.push(sub.object.id);
    relatedActivities.push(...contextActivityIds(sub.context));
  }

  for (const actor of direct) for (const ifi of actorKeys(actor)) keys.add(keyOf.agent(ifi, false));
  // Related keys only where the direct key is absent: a related filter matches both (matchingKeys).
  for (const actor of related) {
    for (const ifi of actorKeys(actor)) if (!keys.has(keyOf.agent(ifi, false))) keys.add(keyOf.agent(ifi, true));
  }
  for (const id of relatedActivities) if (!keys.has(keyOf.activity(id, false))) keys.add(keyOf.activity(id, true));
  return [...keys];
}
