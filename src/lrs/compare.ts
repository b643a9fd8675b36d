/**
 * Statement comparison (xAPI-Data.md §2.3.1.s9): two statements with the same id "match" when
 * they differ only in ways the immutability exceptions (§2.3.1) allow:
 *
 *  - LRS-assigned properties: id, authority, stored, version, and a timestamp the sender left out;
 *  - Activity definitions and Verb displays (not part of the statement itself);
 *  - the serialization of timestamps (same instant, any time zone);
 *  - the order of Group members;
 *  - a single context Activity versus an array of one;
 *  - case-insensitive values: UUIDs, the domain of an mbox, hex hashes.
 *
 * Everything else, including result.duration as a string (to 0.01 s), must be equal.
 */
import { normalizeMbox } from './agents.js';
import { parseTimestamp } from './formats.js';
import type { JsonValue } from './types.js';
import { isRecord } from '../http/guards.js';

type Node = JsonValue | undefined;

/** Keys sorted, arrays kept in order: a canonical JSON text for deep equality. */
function canonicalJson(value: Node): string {
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function normalizeActor(value: Node): Node {
  if (!isRecord(value)) return value;
  const out: { [key: string]: JsonValue } = { ...value };
  if (out.objectType === undefined) out.objectType = 'Agent';
  if (typeof out.mbox === 'string') out.mbox = normalizeMbox(out.mbox);
  if (typeof out.mbox_sha1sum === 'string') out.mbox_sha1sum = out.mbox_sha1sum.toLowerCase();
  if (Array.isArray(out.member)) {
    out.member = out.member
      .map((m) => normalizeActor(m) ?? null)
      .sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
  }
  return out;
}

function normalizeActivity(value: Node): Node {
  if (!isRecord(value)) return value;
  return { objectType: 'Activity', id: value.id ?? null };
}

function normalizeTimestamp(value: Node): Node {
  const ms = parseTimestamp(value);
  return ms === undefined ? value : ms;
}

function normalizeDuration(value: Node): Node {
  if (typeof value !== 'string') return value;
  return value.replace(/(\d+)[.,](\d{0,2})\d*S$/, (_m, whole: string, frac: string) =>
    frac.replace(/0+$/, '') === '' ? `${whole}S` : `${whole}.${frac.replace(/0+$/, '')}S`,
  );
}

function normalizeContext(value: Node): Node {
  if (!isRecord(value)) return value;
  const out: { [key: string]: JsonValue } = { ...value };
  if (typeof out.registration === 'string') out.registration = out.registration.toLowerCase();
  if (out.instructor !== undefined) out.instructor = normalizeActor(out.instructor) ?? null;
  if (out.team !== undefined) out.team = normalizeActor(out.team) ?? null;
  if (isRecord(out.statement) && typeof out.statement.id === 'string') {
    out.statement = { ...out.statement, id: out.statement.id.toLowerCase() };
  }
  const activities = out.contextActivities;
  if (isRecord(activities)) {
    const normalized: { [key: string]: JsonValue } = {};
    for (const [kind, entry] of Object.entries(activities)) {
      const list = Array.isArray(entry) ? entry : [entry];
      normalized[kind] = list.map((a) => normalizeActivity(a) ?? null);
    }
    out.contextActivities = normalized;
  }
  return out;
}

function normalizeObject(value: Node): Node {
  if (!isRecord(value)) return value;
  switch (value.objectType) {
    case undefined:
    case 'Activity':
      return normalizeActivity(value);
    case 'Agent':
    case 'Group':
      return normalizeActor(value);
    case 'StatementRef':
      return { ...value, id: typeof value.id === 'string' ? value.id.toLowerCase() : (value.id ?? null) };
    case 'SubStatement':
      return normalizeBody(value, true);
    default:
      return value;
  }
}

function normalizeBody(value: { [key: string]: JsonValue }, keepTimestamp: boolean): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, v] of Object.entries(value)) {
    switch (key) {
      case 'id':
      case 'stored':
      case 'authority':
      case 'version':
        break;
      case 'timestamp':
        if (keepTimestamp) out.timestamp = normalizeTimestamp(v) ?? null;
        break;
      case 'actor':
        out.actor = normalizeActor(v) ?? null;
        break;
      case 'verb':
        out.verb = isRecord(v) ? { id: v.id ?? null } : v;
        break;
      case 'object':
        out.object = normalizeObject(v) ?? null;
        break;
      case 'context':
        out.context = normalizeContext(v) ?? null;
        break;
      case 'result':
        out.result = isRecord(v) && v.duration !== undefined ? { ...v, duration: normalizeDuration(v.duration) ?? null } : v;
        break;
      default:
        out[key] = v;
    }
  }
  return out;
}

/**
 * True when `incoming` matches `existing` (a stored statement with the same id) under the
 * statement comparison rules.
 */
export function statementsMatch(incoming: object, existing: object): boolean {
  const a: JsonValue = JSON.parse(JSON.stringify(incoming));
  const b: JsonValue = JSON.parse(JSON.stringify(existing));
  if (!isRecord(a) || !isRecord(b)) return false;
  // A timestamp the sender left out was assigned by the LRS: only compare one that was sent.
  const keepTimestamp = a.timestamp !== undefined;
  return canonicalJson(normalizeBody(a, keepTimestamp)) === canonicalJson(normalizeBody(b, keepTimestamp));
}
