/**
 * Structural validation of xAPI 1.0.3 statements (xAPI-Data.md §2.2, §2.4, §4). Every rejection is
 * an `AcademyError(400, …)` whose message and `field` name the offending property path:
 *
 *   validateStatement(s)    → 'statement.verb.id must be an IRI', field 'verb.id'
 *   validateStatements([…]) → 'statements[2].verb.id must be an IRI', field 'statements[2].verb.id'
 */
import { AcademyError } from '../errors.js';
import { isRecord } from '../http/guards.js';
import { isDuration, isIri, isLanguageTag, isMediaType, isSha2, isStatementVersion } from './formats.js';
import { VOIDED_VERB, type Actor, type Statement } from './types.js';
import { type Obj, Invalid, fail, at, atIndex, object, array, allowOnly, required, string, boolean, number, iri, irl, uuid, timestamp, languageMap, extensions } from './validateCore.js';
import { IFI_KEYS, agent, group, actor, authority } from './validateActor.js';
import { verb, activity } from './validateActivity.js';

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
