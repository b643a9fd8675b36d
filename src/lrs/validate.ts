/**
 * Structural validation of xAPI 1.0.3 statements (xAPI-Data.md §2.2, §2.4, §4). Every rejection is
 * an `AcademyError(400, …)` whose message and `field` name the offending property path:
 *
 *   validateStatement(s)    → 'statement.verb.id must be an IRI', field 'verb.id'
 *   validateStatements([…]) → 'statements[2].verb.id must be an IRI', field 'statements[2].verb.id'
 */
import { AcademyError } from '../errors.js';
import {
  isDuration,
  isIri,
  isIrl,
  isLanguageTag,
  isMailto,
  isMediaType,
  isSha1,
  isSha2,
  isStatementVersion,
  isTimestamp,
  isUuid,
} from './formats.js';
import { INTERACTION_TYPES, VOIDED_VERB, type Actor, type InteractionType, type Statement } from './types.js';
import { isRecord } from '../http/guards.js';

type Obj = Record<string, unknown>;

/** Internal failure: where (a path relative to the statement) and what. */
class Invalid extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(problem);
  }
}

function fail(path: string, problem: string): never {
  throw new Invalid(path, problem);
}

function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function atIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Map keys that are data (language tags, extension IRIs) are quoted. */
function atKey(path: string, key: string): string {
  return `${path}[${JSON.stringify(key)}]`;
}

function object(value: unknown, path: string): Obj {
  if (!isRecord(value)) fail(path, 'must be an object');
  return value;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  return value;
}

function allowOnly(o: Obj, path: string, allowed: ReadonlySet<string>, where?: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.has(key)) fail(at(path, key), where ? `is not allowed in ${where}` : 'is not allowed');
  }
}

function required(o: Obj, key: string, path: string): unknown {
  const value = o[key];
  if (value === undefined) fail(at(path, key), 'is required');
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'must be a string');
  return value;
}

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(path, 'must be a non-empty string');
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'must be a boolean (true or false)');
  return value;
}

function number(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'must be a number');
  return value;
}

function iri(value: unknown, path: string): string {
  if (!isIri(value)) fail(path, 'must be an IRI');
  return value;
}

function irl(value: unknown, path: string): string {
  if (!isIrl(value)) fail(path, 'must be an IRL');
  return value;
}

function uuid(value: unknown, path: string): string {
  if (!isUuid(value)) fail(path, 'must be a UUID');
  return value;
}

function timestamp(value: unknown, path: string): string {
  if (!isTimestamp(value)) fail(path, 'must be an ISO 8601 timestamp with a time zone');
  return value;
}

function languageMap(value: unknown, path: string): void {
  const o = object(value, path);
  for (const [tag, text] of Object.entries(o)) {
    if (!isLanguageTag(tag)) fail(atKey(path, tag), 'is not an RFC 5646 language tag');
    string(text, atKey(path, tag));
  }
}

function extensions(value: unknown, path: string): void {
  const o = object(value, path);
  // Values are free (null included, §2.2.s4.b1.b1); keys must be IRIs (§4.1.s3.b1).
  for (const key of Object.keys(o)) {
    if (!isIri(key)) fail(atKey(path, key), 'is not an IRI (extension keys must be IRIs)');
  }
}

// --- Agents and Groups (§2.4.2) ---------------------------------------------------------------

const IFI_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;
const AGENT_KEYS = new Set(['objectType', 'name', ...IFI_KEYS]);
const GROUP_KEYS = new Set(['objectType', 'name', 'member', ...IFI_KEYS]);
const ACCOUNT_KEYS = new Set(['homePage', 'name']);

function account(value: unknown, path: string): void {
  const o = object(value, path);
  allowOnly(o, path, ACCOUNT_KEYS);
  irl(required(o, 'homePage', path), at(path, 'homePage'));
  nonEmptyString(required(o, 'name', path), at(path, 'name'));
}

/** Checks the IFIs present and returns how many there are (0 or 1). */
function ifis(o: Obj, path: string): number {
  const present = IFI_KEYS.filter((key) => o[key] !== undefined);
  if (present.length > 1) {
    fail(path, `must have exactly one inverse functional identifier (has ${present.join(', ')})`);
  }
  if (o.mbox !== undefined && !isMailto(o.mbox)) {
    fail(at(path, 'mbox'), 'must be a mailto IRI ("mailto:name@example.com")');
  }
  if (o.mbox_sha1sum !== undefined && !isSha1(o.mbox_sha1sum)) {
    fail(at(path, 'mbox_sha1sum'), 'must be a hex-encoded SHA-1 hash');
  }
  if (o.openid !== undefined) iri(o.openid, at(path, 'openid'));
  if (o.account !== undefined) account(o.account, at(path, 'account'));
  return present.length;
}

function agent(value: unknown, path: string): void {
  const o = object(value, path);
  allowOnly(o, path, AGENT_KEYS);
  if (o.objectType !== undefined && o.objectType !== 'Agent') fail(at(path, 'objectType'), 'must be "Agent"');
  if (o.name !== undefined) string(o.name, at(path, 'name'));
  if (ifis(o, path) === 0) {
    fail(path, 'must have an inverse functional identifier (mbox, mbox_sha1sum, openid or account)');
  }
}

function members(value: unknown, path: string): unknown[] {
  const list = array(value, path);
  list.forEach((member, i) => {
    if (isRecord(member) && member.objectType === 'Group') {
      fail(at(atIndex(path, i), 'objectType'), 'must be "Agent" (a Group cannot contain Groups)');
    }
    agent(member, atIndex(path, i));
  });
  return list;
}

function group(value: unknown, path: string): void {
  const o = object(value, path);
  allowOnly(o, path, GROUP_KEYS);
  if (o.objectType !== 'Group') fail(at(path, 'objectType'), 'must be "Group"');
  if (o.name !== undefined) string(o.name, at(path, 'name'));
  const identified = ifis(o, path) === 1;
  const list = o.member === undefined ? undefined : members(o.member, at(path, 'member'));
  if (!identified && (list === undefined || list.length === 0)) {
    fail(at(path, 'member'), 'is required and must not be empty for an anonymous Group');
  }
}

function actor(value: unknown, path: string): void {
  const o = object(value, path);
  if (o.objectType === 'Group') group(o, path);
  else agent(o, path);
}

/** Authority: an Agent, or (3-legged OAuth) an anonymous Group of exactly two Agents (§2.4.9). */
function authority(value: unknown, path: string): void {
  const o = object(value, path);
  if (o.objectType !== 'Group') {
    agent(o, path);
    return;
  }
  allowOnly(o, path, new Set(['objectType', 'name', 'member']), 'a Group authority');
  if (o.name !== undefined) string(o.name, at(path, 'name'));
  const list = members(required(o, 'member', path), at(path, 'member'));
  if (list.length !== 2) fail(at(path, 'member'), 'must list exactly two Agents (an application and a user)');
}

// --- Verb (§2.4.3) ----------------------------------------------------------------------------

const VERB_KEYS = new Set(['id', 'display']);

function verb(value: unknown, path: string): string {
  const o = object(value, path);
  allowOnly(o, path, VERB_KEYS);
  const id = iri(required(o, 'id', path), at(path, 'id'));
  if (o.display !== undefined) languageMap(o.display, at(path, 'display'));
  return id;
}

// --- Activities (§2.4.4.1) --------------------------------------------------------------------

const ACTIVITY_KEYS = new Set(['objectType', 'id', 'definition']);
const DEFINITION_KEYS = new Set([
  'name',
  'description',
  'type',
  'moreInfo',
  'interactionType',
  'correctResponsesPattern',
  'choices',
  'scale',
  'source',
  'target',
  'steps',
  'extensions',
]);
const COMPONENT_KEYS = new Set(['id', 'description']);
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;
/** Which interaction component lists each interactionType supports (§2.4.4.1.s15 table 2). */
const LISTS_BY_TYPE: Record<InteractionType, ReadonlySet<string>> = {
  choice: new Set(['choices']),
  sequencing: new Set(['choices']),
  likert: new Set(['scale']),
  matching: new Set(['source', 'target']),
  performance: new Set(['steps']),
  'true-false': new Set(),
  'fill-in': new Set(),
  'long-fill-in': new Set(),
  numeric: new Set(),
  other: new Set(),
};

function isInteractionType(value: unknown): value is InteractionType {
  return typeof value === 'string' && (INTERACTION_TYPES as readonly string[]).includes(value);
}

function interactionComponents(value: unknown, path: string): void {
  const seen = new Set<string>();
  array(value, path).forEach((item, i) => {
    const itemPath = atIndex(path, i);
    const o = object(item, itemPath);
    allowOnly(o, itemPath, COMPONENT_KEYS);
    const id = nonEmptyString(required(o, 'id', itemPath), at(itemPath, 'id'));
    if (seen.has(id)) fail(at(itemPath, 'id'), `duplicates another component id ("${id}")`);
    seen.add(id);
    if (o.description !== undefined) languageMap(o.description, at(itemPath, 'description'));
  });
}

function definition(value: unknown, path: string): void {
  const o = object(value, path);
  allowOnly(o, path, DEFINITION_KEYS);
  if (o.name !== undefined) languageMap(o.name, at(path, 'name'));
  if (o.description !== undefined) languageMap(o.description, at(path, 'description'));
  if (o.type !== undefined) iri(o.type, at(path, 'type'));
  if (o.moreInfo !== undefined) irl(o.moreInfo, at(path, 'moreInfo'));
  if (o.extensions !== undefined) extensions(o.extensions, at(path, 'extensions'));

  const type = o.interactionType;
  if (type !== undefined && !isInteractionType(type)) {
    fail(at(path, 'interactionType'), `must be one of ${INTERACTION_TYPES.join(', ')}`);
  }
  if (o.correctResponsesPattern !== undefined) {
    if (type === undefined) fail(at(path, 'correctResponsesPattern'), 'requires an interactionType');
    array(o.correctResponsesPattern, at(path, 'correctResponsesPattern')).forEach((pattern, i) =>
      string(pattern, atIndex(at(path, 'correctResponsesPattern'), i)),
    );
  }
  for (const list of COMPONENT_LISTS) {
    if (o[list] === undefined) continue;
    if (type === undefined) fail(at(path, list), 'requires an interactionType');
    if (!LISTS_BY_TYPE[type].has(list)) fail(at(path, list), `is not allowed for interactionType "${type}"`);
    interactionComponents(o[list], at(path, list));
  }
}

function activity(value: unknown, path: string): void {
  const o = object(value, path);
  allowOnly(o, path, ACTIVITY_KEYS);
  if (o.objectType !== undefined && o.objectType !== 'Activity') fail(at(path, 'objectType'), 'must be "Activity"');
  iri(required(o, 'id', path), at(path, 'id'));
  if (o.definition !== undefined) definition(o.definition, at(path, 'definition'));
}

// --- Statement references and objects (§2.4.4) ------------------------------------------------

const STATEMENT_REF_KEYS = new Set(['objectType', 'id']);

function statementRef(value: unknown, path: string): void {
  const o = object(value, path);
  allowOnly(o, path, STATEMENT_REF_KEYS);
  if (o.objectType !== 'StatementRef') fail(at(path, 'objectType'), 'must be "StatementRef"');
  uuid(required(o, 'id', path), at(path, 'id'));
}

const OBJECT_TYPES = ['Activity', 'Agent', 'Group', 'StatementRef', 'SubStatement'];

/** Validates a statement's (or SubStatement's) object and returns its objectType. */
function statementObject(value: unknown, path: string, inSubStatement: boolean): string {
  const o = object(value, path);
  switch (o.objectType) {
    case undefined:
      if (o.id === undefined && IFI_KEYS.some((key) => o[key] !== undefined)) {
        fail(at(path, 'objectType'), 'is required when the object is an Agent or Group');
      }
      activity(o, path);
      return 'Activity';
    case 'Activity':
      activity(o, path);
      return 'Activity';
    case 'Agent':
      agent(o, path);
      return 'Agent';
    case 'Group':
      group(o, path);
      return 'Group';
    case 'StatementRef':
      statementRef(o, path);
      return 'StatementRef';
    case 'SubStatement':
      if (inSubStatement) fail(at(path, 'objectType'), 'cannot be "SubStatement" inside a SubStatement');
      subStatement(o, path);
      return 'SubStatement';
    default:
      return fail(at(path, 'objectType'), `must be one of ${OBJECT_TYPES.join(', ')}`);
  }
}

// --- Result (§2.4.5) --------------------------------------------------------------------------

const RESULT_KEYS = new Set(['score', 'success', 'completion', 'response', 'duration', 'extensions']);
const SCORE_KEYS = new Set(['scaled', 'raw', 'min', 'max']);

function score(value: unknown, path: string): void {
  const o = object(value, path);
  allowOnly(o, path, SCORE_KEYS);
  const scaled = o.scaled === undefined ? undefined : number(o.scaled, at(path, 'scaled'));
  const raw = o.raw === undefined ? undefined : number(o.raw, at(path, 'raw'));
  const min = o.min === undefined ? undefined : number(o.min, at(path, 'min'));
  const max = o.max === undefined ? undefined : number(o.max, at(path, 'max'));
  if (scaled !== undefined && (scaled < -1 || scaled > 1)) fail(at(path, 'scaled'), 'must be between -1 and 1');
  if (min !== undefined && max !== undefined && min > max) fail(at(path, 'min'), 'must not be greater than max');
  if (raw !== undefined && min !== undefined && raw < min) fail(at(path, 'raw'), 'must not be less than min');
  if (raw !== undefined && max !== undefined && raw > max) fail(at(path, 'raw'), 'must not be greater than max');
}

function result(value: unknown, path: string): void {
  const o = object(value, path);
  allowOnly(o, path, RESULT_KEYS);
  if (o.score !== undefined) score(o.score, at(path, 'score'));
  if (o.success !== undefined) boolean(o.success, at(path, 'success'));
  if (o.completion !== undefined) boolean(o.completion, at(path, 'completion'));
  if (o.response !== undefined) string(o.response, at(path, 'response'));
  if (o.duration !== undefined && !isDuration(o.duration)) {
    fail(at(path, 'duration'), 'must be an ISO 8601 duration (e.g. "PT1M30S")');
  }
  if (o.extensions !== undefined) extensions(o.extensions, at(path, 'extensions'));
}

// --- Context (§2.4.6) -------------------------------------------------------------------------

const CONTEXT_KEYS = new Set([
  'registration',
  'instructor',
  'team',
  'contextActivities',
  'revision',
  'platform',
  'language',
  'statement',
  'extensions',
  'contextAgents',
  'contextGroups',
]);
const CONTEXT_ACTIVITIES_KEYS = new Set(['parent', 'grouping', 'category', 'other']);

function contextActivities(value: unknown, path: string): void {
  const o = object(value, path);
  allowOnly(o, path, CONTEXT_ACTIVITIES_KEYS);
  for (const [kind, entry] of Object.entries(o)) {
    const kindPath = at(path, kind);
    if (Array.isArray(entry)) entry.forEach((item, i) => activity(item, atIndex(kindPath, i)));
    else if (isRecord(entry)) activity(entry, kindPath);
    else fail(kindPath, 'must be an Activity or an array of Activities');
  }
}

function context(value: unknown, path: string, objectType: string): void {
  const o = object(value, path);
  allowOnly(o, path, CONTEXT_KEYS);
  if (o.registration !== undefined) uuid(o.registration, at(path, 'registration'));
  if (o.instructor !== undefined) actor(o.instructor, at(path, 'instructor'));
  if (o.team !== undefined) {
    const team = object(o.team, at(path, 'team'));
    if (team.objectType !== 'Group') fail(at(at(path, 'team'), 'objectType'), 'must be "Group" (a team is a Group)');
    group(team, at(path, 'team'));
  }
  if (o.contextActivities !== undefined) contextActivities(o.contextActivities, at(path, 'contextActivities'));
  // xAPI 2.0.0 Data §2.4.6: contextAgents / contextGroups are arrays of { objectType, agent|group, relevantTypes }.
  for (const [key, member, type] of [
    ['contextAgents', 'agent', 'contextAgent'],
    ['contextGroups', 'group', 'contextGroup'],
  ] as const) {
    if (o[key] === undefined) continue;
    const list = o[key];
    if (!Array.isArray(list)) fail(at(path, key), 'must be an array');
    list.forEach((item: unknown, i: number) => {
      const itemPath = atIndex(at(path, key), i);
      const entry = object(item, itemPath);
      allowOnly(entry, itemPath, new Set(['objectType', member, 'relevantTypes']));
      if (entry.objectType !== type) fail(at(itemPath, 'objectType'), `must be "${type}"`);
      if (member === 'agent') actor(entry.agent, at(itemPath, 'agent'));
      else {
        const g = object(entry.group, at(itemPath, 'group'));
        if (g.objectType !== 'Group') fail(at(at(itemPath, 'group'), 'objectType'), 'must be "Group"');
        group(g, at(itemPath, 'group'));
      }
      if (entry.relevantTypes !== undefined) {
        const types = entry.relevantTypes;
        if (!Array.isArray(types) || types.length === 0) fail(at(itemPath, 'relevantTypes'), 'must be a non-empty array of IRIs');
        types.forEach((t: unknown, j: number) => {
          if (!isIri(t)) fail(atIndex(at(itemPath, 'relevantTypes'), j), 'must be an IRI');
        });
      }
    });
  }
  for (const key of ['revision', 'platform'] as const) {
    if (o[key] === undefined) continue;
    string(o[key], at(path, key));
    if (objectType !== 'Activity') fail(at(path, key), 'is only allowed when the object is an Activity');
  }
  if (o.language !== undefined && !isLanguageTag(o.language)) {
    fail(at(path, 'language'), 'must be an RFC 5646 language tag');
  }
  if (o.statement !== undefined) statementRef(o.statement, at(path, 'statement'));
  if (o.extensions !== undefined) extensions(o.extensions, at(path, 'extensions'));
}

// --- Attachments (§2.4.11) --------------------------------------------------------------------

const ATTACHMENT_KEYS = new Set(['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl']);

function attachments(value: unknown, path: string): void {
  array(value, path).forEach((item, i) => {
    const itemPath = atIndex(path, i);
    const o = object(item, itemPath);
    allowOnly(o, itemPath, ATTACHMENT_KEYS);
    iri(required(o, 'usageType', itemPath), at(itemPath, 'usageType'));
    languageMap(required(o, 'display', itemPath), at(itemPath, 'display'));
    if (o.description !== undefined) languageMap(o.description, at(itemPath, 'description'));
    if (!isMediaType(required(o, 'contentType', itemPath))) {
      fail(at(itemPath, 'contentType'), 'must be an Internet Media Type');
    }
    const length = required(o, 'length', itemPath);
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
      fail(at(itemPath, 'length'), 'must be a non-negative integer');
    }
    if (!isSha2(required(o, 'sha2', itemPath))) fail(at(itemPath, 'sha2'), 'must be a SHA-2 hash');
    if (o.fileUrl !== undefined) irl(o.fileUrl, at(itemPath, 'fileUrl'));
  });
}

// --- Statements and SubStatements (§2.4, §2.4.4.3) --------------------------------------------

const STATEMENT_KEYS = new Set([
  'id',
  'actor',
  'verb',
  'object',
  'result',
  'context',
  'timestamp',
  'stored',
  'authority',
  'version',
  'attachments',
]);
const SUB_STATEMENT_KEYS = new Set([
  'objectType',
  'actor',
  'verb',
  'object',
  'result',
  'context',
  'timestamp',
  'attachments',
]);

/** The parts a Statement and a SubStatement share. */
function statementBody(o: Obj, path: string, inSubStatement: boolean): { verbId: string; objectType: string } {
  actor(required(o, 'actor', path), at(path, 'actor'));
  const verbId = verb(required(o, 'verb', path), at(path, 'verb'));
  const objectType = statementObject(required(o, 'object', path), at(path, 'object'), inSubStatement);
  if (o.result !== undefined) result(o.result, at(path, 'result'));
  if (o.context !== undefined) context(o.context, at(path, 'context'), objectType);
  if (o.timestamp !== undefined) timestamp(o.timestamp, at(path, 'timestamp'));
  if (o.attachments !== undefined) attachments(o.attachments, at(path, 'attachments'));
  return { verbId, objectType };
}

function subStatement(o: Obj, path: string): void {
  allowOnly(o, path, SUB_STATEMENT_KEYS, 'a SubStatement');
  statementBody(o, path, true);
}

function statement(value: unknown, path: string): void {
  const o = object(value, path);
  allowOnly(o, path, STATEMENT_KEYS);
  if (o.id !== undefined) uuid(o.id, at(path, 'id'));
  const { verbId, objectType } = statementBody(o, path, false);
  // A voiding statement targets the voided one by StatementRef (Data §2.3.2.s2.b1).
  if (verbId === VOIDED_VERB && objectType !== 'StatementRef') {
    fail(at(at(path, 'object'), 'objectType'), 'must be "StatementRef" when the verb is voided');
  }
  if (o.stored !== undefined) timestamp(o.stored, at(path, 'stored'));
  if (o.authority !== undefined) authority(o.authority, at(path, 'authority'));
  if (o.version !== undefined && !isStatementVersion(o.version)) {
    fail(at(path, 'version'), 'must be a 1.0.x or 2.0.x version (e.g. "1.0.0")');
  }
}

// --- Public API -------------------------------------------------------------------------------

/**
 * Turns an internal failure into the AcademyError callers see. `root` prefixes the message;
 * `fieldIsAbsolute` makes `field` carry the root too (batches) instead of the relative path.
 */
function toAcademyError(e: unknown, root: string, fieldIsAbsolute: boolean): unknown {
  if (!(e instanceof Invalid)) return e;
  const where = e.path === '' ? root : `${root}.${e.path}`;
  const field = fieldIsAbsolute ? where : e.path === '' ? undefined : e.path;
  return new AcademyError(400, `${where} ${e.problem}`, field);
}

/** The validated value, typed: validation has checked the structure `Statement` describes. */
function asStatement(value: unknown): Statement {
  return value as Statement;
}

/**
 * Validates one statement. Errors read `statement.<path> <problem>` with `field` = `<path>`.
 */
export function validateStatement(input: unknown): Statement {
  try {
    statement(input, '');
  } catch (e) {
    throw toAcademyError(e, 'statement', false);
  }
  return asStatement(input);
}

/**
 * Validates a batch: every statement, then that no two share an id (Communication §2.1.2.s2.b6).
 * Errors read and name `statements[i].<path>`.
 */
export function validateStatements(input: unknown): Statement[] {
  if (!Array.isArray(input)) throw new AcademyError(400, 'statements must be an array', 'statements');
  const seen = new Map<string, number>();
  input.forEach((item, i) => {
    const root = `statements[${i}]`;
    try {
      statement(item, '');
    } catch (e) {
      throw toAcademyError(e, root, true);
    }
    const id = asStatement(item).id;
    if (id === undefined) return;
    const key = id.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new AcademyError(400, `${root}.id duplicates statements[${first}].id in the same batch`, `${root}.id`);
    }
    seen.set(key, i);
  });
  return input.map(asStatement);
}

/**
 * Validates an Agent or Identified Group given as JSON (the `agent` query parameter of GET
 * statements, Communication §2.1.3). Anonymous Groups cannot be used as a filter.
 */
export function validateAgentParameter(json: string, parameter = 'agent'): Actor {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new AcademyError(400, `${parameter} must be a JSON Agent or Identified Group`, parameter);
  }
  try {
    const o = object(value, '');
    if (o.objectType === 'Group') {
      group(o, '');
      if (IFI_KEYS.every((key) => o[key] === undefined)) fail('', 'must be an Agent or an Identified Group');
    } else {
      agent(o, '');
    }
  } catch (e) {
    throw toAcademyError(e, parameter, true);
  }
  // Validated above against the Agent / Group structure.
  return value as Actor;
}
