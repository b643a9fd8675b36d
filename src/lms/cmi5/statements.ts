/**
 * Pure builders of the AU's cmi5 defined statements (cmi5 §9): the LMS's actor, the launch's
 * activityId as object, the contextTemplate merged in (never overwritten), the cmi5 category,
 * the moveOn category with success or completion, durations where required.
 */
import type { Statement } from '@xapi/xapi';
import type { Cmi5Actor } from './launch.js';
import { CMI5_CATEGORY, CMI5_EXTENSIONS, CMI5_VERBS, MOVEON_CATEGORY, type Cmi5Verb } from './vocabulary.js';
import { isRecord } from '../../http/guards.js';

export interface Cmi5StatementBase {
  readonly actor: Cmi5Actor;
  readonly activityId: string;
  readonly registration: string;
  readonly contextTemplate: Record<string, unknown>;
}

export interface Cmi5Result {
  readonly completion?: boolean;
  readonly success?: boolean;
  readonly duration?: string;
  readonly score?: { readonly scaled: number; readonly raw: number; readonly min: number; readonly max: number };
}

type ActivityRef = { id: string } & Record<string, unknown>;

function asList(v: unknown): ActivityRef[] {
  const list = Array.isArray(v) ? v : isRecord(v) ? [v] : [];
  return list.filter((a): a is ActivityRef => isRecord(a) && typeof a.id === 'string');
}

/** The template with our additions: lists are extended, keys the template has are kept as they are. */
export function mergeContext(template: Record<string, unknown>, registration: string, categories: readonly string[], extensions: Record<string, unknown>): Record<string, unknown> {
  const ca = isRecord(template.contextActivities) ? template.contextActivities : {};
  const category = asList(ca.category);
  for (const id of categories) if (!category.some((a) => a.id === id)) category.push({ id, objectType: 'Activity' });
  const templateExtensions = isRecord(template.extensions) ? template.extensions : {};
  return {
    ...template,
    registration,
    contextActivities: { ...ca, category },
    extensions: { ...extensions, ...templateExtensions },
  };
}

/** A cmi5 statement without id and timestamp (the recorder's stamper gives them). */
export function cmi5Statement(base: Cmi5StatementBase, verb: Cmi5Verb, result: Cmi5Result | undefined, extensions: Record<string, unknown>): Statement {
  const moveOn = result !== undefined && (result.success !== undefined || result.completion !== undefined);
  const context = mergeContext(base.contextTemplate, base.registration, moveOn ? [CMI5_CATEGORY, MOVEON_CATEGORY] : [CMI5_CATEGORY], extensions);
  return {
    actor: { objectType: 'Agent', account: { ...base.actor.account } },
    verb: { id: CMI5_VERBS[verb], display: { 'en-US': verb } },
    object: { objectType: 'Activity', id: base.activityId },
    ...(result ? { result: { ...result } } : {}),
    context,
  } as Statement;
}

/** The masteryscore extension, only when the LMS gave a mastery score. */
export function masteryExtension(masteryScore: number | undefined): Record<string, unknown> {
  return masteryScore === undefined ? {} : { [CMI5_EXTENSIONS.masteryScore]: masteryScore };
}
