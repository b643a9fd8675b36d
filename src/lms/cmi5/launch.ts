/**
 * The cmi5 launch (spec §8.1, §10): the query parameters an LMS launches an AU with, and the
 * LMS.LaunchData state document, validated at the edge with a message naming the field.
 */
import { AcademyError } from '../../errors.js';
import { LAUNCH_MODES, MOVE_ON_VALUES, type LaunchMode } from './vocabulary.js';
import { isRecord } from '../../http/guards.js';

/** The learner as the LMS names them: an xAPI Agent with an account (cmi5 §9.2). */
export interface Cmi5Actor {
  readonly objectType: 'Agent';
  readonly account: { readonly homePage: string; readonly name: string };
  readonly name?: string;
}

export interface Cmi5Launch {
  /** The LMS's xAPI endpoint, ending with '/'. */
  readonly endpoint: string;
  readonly fetch: string;
  readonly actor: Cmi5Actor;
  readonly registration: string;
  readonly activityId: string;
  /** Our own parameter on the AU url: the lesson to run. */
  readonly lesson?: string;
}

export interface LaunchData {
  readonly contextTemplate: Record<string, unknown>;
  readonly launchMode: LaunchMode;
  readonly moveOn: string;
  readonly masteryScore?: number;
  readonly returnURL?: string;
  readonly launchParameters?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const bad = (field: string, why: string): never => {
  throw new AcademyError(400, `${field} ${why}`, field);
};

function httpUrl(field: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return bad(field, 'must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') bad(field, 'must be an http or https URL');
  return url;
}

/** Parses the launch query; a missing or malformed parameter throws an AcademyError naming it. */
export function parseLaunch(query: URLSearchParams): Cmi5Launch {
  const one = (name: string): string => {
    const values = query.getAll(name);
    if (values.length === 0 || values[0].trim() === '') return bad(name, 'is missing from the launch address');
    if (values.length > 1) bad(name, 'is given more than once');
    return values[0].trim();
  };
  const endpoint = httpUrl('endpoint', one('endpoint')).href;
  const fetch = httpUrl('fetch', one('fetch')).href;
  let actorJson: unknown;
  try {
    actorJson = JSON.parse(one('actor'));
  } catch {
    bad('actor', 'must be a JSON object (an xAPI Agent)');
  }
  if (!isRecord(actorJson)) return bad('actor', 'must be a JSON object (an xAPI Agent)');
  if (actorJson.objectType !== undefined && actorJson.objectType !== 'Agent') bad('actor.objectType', 'must be "Agent"');
  const account = actorJson.account;
  if (!isRecord(account)) return bad('actor.account', 'is required: cmi5 actors are identified by an account');
  if (typeof account.homePage !== 'string') return bad('actor.account.homePage', 'must be a URL');
  httpUrl('actor.account.homePage', account.homePage);
  if (typeof account.name !== 'string' || account.name === '') return bad('actor.account.name', 'must be a non-empty string');
  const registration = one('registration');
  if (!UUID.test(registration)) bad('registration', 'must be a UUID');
  const activityId = one('activityId');
  try {
    new URL(activityId);
  } catch {
    bad('activityId', 'must be an IRI');
  }
  const lesson = query.get('lesson') ?? undefined;
  if (lesson !== undefined && !/^[a-z0-9][a-z0-9.-]{0,80}$/.test(lesson)) bad('lesson', 'is not a lesson id');
  const actor: Cmi5Actor = {
    objectType: 'Agent',
    account: { homePage: account.homePage, name: account.name },
    ...(typeof actorJson.name === 'string' ? { name: actorJson.name } : {}),
  };
  return { endpoint: endpoint.endsWith('/') ? endpoint : `${endpoint}/`, fetch, actor, registration, activityId, ...(lesson ? { lesson } : {}) };
}

/** Validates LMS.LaunchData as the LMS stored it. */
export function parseLaunchData(doc: unknown): LaunchData {
  const field = (name: string) => `LMS.LaunchData.${name}`;
  if (!isRecord(doc)) return bad('LMS.LaunchData', 'must be a JSON object');
  if (!isRecord(doc.contextTemplate)) return bad(field('contextTemplate'), 'must be an object');
  if (typeof doc.launchMode !== 'string' || !LAUNCH_MODES.includes(doc.launchMode as LaunchMode)) bad(field('launchMode'), `must be one of ${LAUNCH_MODES.join(', ')}`);
  const moveOn = doc.moveOn === undefined ? 'NotApplicable' : doc.moveOn;
  if (typeof moveOn !== 'string' || !(MOVE_ON_VALUES as readonly string[]).includes(moveOn)) bad(field('moveOn'), `must be one of ${MOVE_ON_VALUES.join(', ')}`);
  const mastery = doc.masteryScore;
  if (mastery !== undefined && (typeof mastery !== 'number' || !(mastery >= 0 && mastery <= 1))) bad(field('masteryScore'), 'must be a number from 0 to 1');
  if (doc.returnURL !== undefined && typeof doc.returnURL !== 'string') bad(field('returnURL'), 'must be a string');
  if (typeof doc.returnURL === 'string') httpUrl(field('returnURL'), doc.returnURL);
  return {
    contextTemplate: doc.contextTemplate,
    launchMode: doc.launchMode as LaunchMode,
    moveOn: moveOn as string,
    ...(typeof mastery === 'number' ? { masteryScore: mastery } : {}),
    ...(typeof doc.returnURL === 'string' ? { returnURL: doc.returnURL } : {}),
    ...(typeof doc.launchParameters === 'string' ? { launchParameters: doc.launchParameters } : {}),
  };
}

/** The session id the LMS put in the context template (cmi5 §9.6.3.1). */
export function sessionIdOf(data: LaunchData, extension: string): string | undefined {
  const ext = data.contextTemplate.extensions;
  const id = isRecord(ext) ? ext[extension] : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** Activity ids in the context template's grouping (the AU's publisher id is one). */
export function groupingIds(data: LaunchData): string[] {
  const ca = data.contextTemplate.contextActivities;
  const grouping = isRecord(ca) ? ca.grouping : undefined;
  const list = Array.isArray(grouping) ? grouping : isRecord(grouping) ? [grouping] : [];
  return list.filter(isRecord).map((a) => a.id).filter((id): id is string => typeof id === 'string');
}
