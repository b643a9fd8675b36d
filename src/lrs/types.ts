/**
 * xAPI 1.0.3 data types (xAPI-Data.md §2.4) as the LRS stores and returns them. Validation
 * (validate.ts) is what turns an `unknown` request body into these types.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

/** RFC 5646 language tag → text. */
export type LanguageMap = Record<string, string>;
/** IRI → any JSON value. */
export type Extensions = Record<string, JsonValue>;

export interface Account {
  homePage: string;
  name: string;
}

/** The four Inverse Functional Identifiers; an Agent or Identified Group has exactly one. */
export interface InverseFunctionalIdentifiers {
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: Account;
}

export interface Agent extends InverseFunctionalIdentifiers {
  objectType?: 'Agent';
  name?: string;
}

export interface Group extends InverseFunctionalIdentifiers {
  objectType: 'Group';
  name?: string;
  member?: Agent[];
}

export type Actor = Agent | Group;

export interface Verb {
  id: string;
  display?: LanguageMap;
}

export const INTERACTION_TYPES = [
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

export interface InteractionComponent {
  id: string;
  description?: LanguageMap;
}

export interface ActivityDefinition {
  name?: LanguageMap;
  description?: LanguageMap;
  type?: string;
  moreInfo?: string;
  interactionType?: InteractionType;
  correctResponsesPattern?: string[];
  choices?: InteractionComponent[];
  scale?: InteractionComponent[];
  source?: InteractionComponent[];
  target?: InteractionComponent[];
  steps?: InteractionComponent[];
  extensions?: Extensions;
}

export interface Activity {
  objectType?: 'Activity';
  id: string;
  definition?: ActivityDefinition;
}

export interface StatementRef {
  objectType: 'StatementRef';
  id: string;
}

export interface Score {
  scaled?: number;
  raw?: number;
  min?: number;
  max?: number;
}

export interface Result {
  score?: Score;
  success?: boolean;
  completion?: boolean;
  response?: string;
  duration?: string;
  extensions?: Extensions;
}

export const CONTEXT_ACTIVITY_KINDS = ['parent', 'grouping', 'category', 'other'] as const;
export type ContextActivityKind = (typeof CONTEXT_ACTIVITY_KINDS)[number];
/** As received a value may be a single Activity (0.95 compatibility); as stored it is always an array. */
export type ContextActivities = Partial<Record<ContextActivityKind, Activity | Activity[]>>;

export interface Context {
  registration?: string;
  instructor?: Actor;
  team?: Group;
  contextActivities?: ContextActivities;
  revision?: string;
  platform?: string;
  language?: string;
  statement?: StatementRef;
  extensions?: Extensions;
}

export interface Attachment {
  usageType: string;
  display: LanguageMap;
  description?: LanguageMap;
  contentType: string;
  length: number;
  sha2: string;
  fileUrl?: string;
}

export interface SubStatement {
  objectType: 'SubStatement';
  actor: Actor;
  verb: Verb;
  object: Activity | Agent | Group | StatementRef;
  result?: Result;
  context?: Context;
  timestamp?: string;
  attachments?: Attachment[];
}

export type StatementObject = Activity | Agent | Group | StatementRef | SubStatement;

/** A statement as received (validated). */
export interface Statement {
  id?: string;
  actor: Actor;
  verb: Verb;
  object: StatementObject;
  result?: Result;
  context?: Context;
  timestamp?: string;
  stored?: string;
  authority?: Actor;
  version?: string;
  attachments?: Attachment[];
}

/** A statement as stored and returned by the LRS: the LRS-assigned properties are always set. */
export interface StoredStatement extends Statement {
  id: string;
  timestamp: string;
  stored: string;
  authority: Actor;
  version: string;
}

/** The reserved voiding verb (xAPI-Data.md §2.3.2). */
export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

export function isActivity(object: StatementObject): object is Activity {
  return object.objectType === undefined || object.objectType === 'Activity';
}

export function isGroup(actor: StatementObject | Actor): actor is Group {
  return actor.objectType === 'Group';
}

export function isAgentObject(object: StatementObject): object is Agent {
  return object.objectType === 'Agent';
}

export function isStatementRef(object: StatementObject): object is StatementRef {
  return object.objectType === 'StatementRef';
}

export function isSubStatement(object: StatementObject): object is SubStatement {
  return object.objectType === 'SubStatement';
}

/** True when the statement voids another: the voided verb with a StatementRef object. */
export function isVoiding(statement: Statement): boolean {
  return statement.verb.id === VOIDED_VERB && isStatementRef(statement.object);
}

/** contextActivities values as a list, whether they arrived as a single Activity or an array. */
export function contextActivityList(value: Activity | Activity[] | undefined): Activity[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function normalizeContextActivities(activities: ContextActivities): ContextActivities {
  const out: ContextActivities = {};
  for (const kind of CONTEXT_ACTIVITY_KINDS) {
    if (activities[kind] !== undefined) out[kind] = contextActivityList(activities[kind]);
  }
  return out;
}

/** contextActivities values are stored (and so returned) as arrays (Data §2.4.6.2.s4.b3). */
export function normalizeContext(context: Context): Context {
  return context.contextActivities
    ? { ...context, contextActivities: normalizeContextActivities(context.contextActivities) }
    : context;
}
