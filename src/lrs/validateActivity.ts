/** Validation of Verbs and Activities (xAPI-Data.md §2.4.3, §2.4.4.1). */
import { INTERACTION_TYPES, type InteractionType } from './types.js';
import { fail, at, atIndex, object, array, allowOnly, required, string, nonEmptyString, iri, irl, languageMap, extensions } from './validateCore.js';

const VERB_KEYS = new Set(['id', 'display']);

export function verb(value: unknown, path: string): string {
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

export function activity(value: unknown, path: string): void {
  const o = object(value, path);
  allowOnly(o, path, ACTIVITY_KEYS);
  if (o.objectType !== undefined && o.objectType !== 'Activity') fail(at(path, 'objectType'), 'must be "Activity"');
  iri(required(o, 'id', path), at(path, 'id'));
  if (o.definition !== undefined) definition(o.definition, at(path, 'definition'));
}

// --- Statement references and objects (§2.4.4) ------------------------------------------------
