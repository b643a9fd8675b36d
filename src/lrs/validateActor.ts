/** Validation of Agents and Groups (xAPI-Data.md §2.4.2). */
import { isRecord } from '../http/guards.js';
import { isMailto, isSha1 } from './formats.js';
import { type Obj, fail, at, atIndex, object, array, allowOnly, required, string, nonEmptyString, iri, irl } from './validateCore.js';

// --- Agents and Groups (§2.4.2) ---------------------------------------------------------------

export const IFI_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;
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

export function agent(value: unknown, path: string): void {
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

export function group(value: unknown, path: string): void {
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

export function actor(value: unknown, path: string): void {
  const o = object(value, path);
  if (o.objectType === 'Group') group(o, path);
  else agent(o, path);
}

/** Authority: an Agent, or (3-legged OAuth) an anonymous Group of exactly two Agents (§2.4.9). */
export function authority(value: unknown, path: string): void {
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
