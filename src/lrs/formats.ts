/**
 * Primitive value formats of xAPI 1.0.3 (xAPI-Data.md §4): IRIs, UUIDs, ISO 8601 timestamps and
 * durations, RFC 5646 language tags, mailto IRIs, SHA-1/SHA-2 hashes, Internet Media Types.
 * Best-effort as the spec allows (§2.2.s4.b6–b7), but strict enough for the ADL conformance suite.
 */

/** Absolute IRI: a scheme, a colon, then at least one character and no whitespace or delimiters forbidden in IRIs. */
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/u;

/** RFC 4122 UUID in standard string form (variant 1 — "variant 2" in xAPI's words —, versions 1–8). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** `mailto:` followed by an addr-spec: a local part, '@', and a domain. */
const MAILTO = /^mailto:[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/u;

const SHA1 = /^[0-9a-f]{40}$/i;
/** SHA-2 as hex (224/256/384/512 bits) or base64. */
const SHA2_HEX = /^(?:[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

/** type "/" subtype, then optional `; name=value` parameters (RFC 2046 / RFC 6838, loosely). */
const MEDIA_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(?:\s*;\s*[A-Za-z0-9!#$&^_.+-]+=(?:[^;"\s]+|"[^"]*"))*\s*;?$/;

/**
 * RFC 5646 Language-Tag: langtag / privateuse / grandfathered (token lengths per §2.1).
 */
const LANGUAGE_TAG = new RegExp(
  '^(?:' +
    // langtag
    '(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4}|[A-Za-z]{5,8})' + // language (+ extlang)
    '(?:-[A-Za-z]{4})?' + // script
    '(?:-(?:[A-Za-z]{2}|[0-9]{3}))?' + // region
    '(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*' + // variants
    '(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*' + // extensions
    '(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?' + // private use
    '|[Xx](?:-[A-Za-z0-9]{1,8})+' + // privateuse
    // grandfathered (irregular and regular)
    '|en-GB-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|i-tao|i-tay|i-tsu' +
    '|sgn-BE-FR|sgn-BE-NL|sgn-CH-DE|art-lojban|cel-gaulish|no-bok|no-nyn|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang' +
    ')$',
);

/**
 * ISO 8601 combined date and time with a time zone (RFC 3339 profile, plus the basic-format
 * offsets ±hhmm and ±hh). `-00:00` ("unknown local offset") is not ISO 8601 and is rejected.
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** ISO 8601:2004 §4.4.3.2 duration: PnYnMnDTnHnMnS (any non-empty subset) or PnW. */
const DURATION =
  /^P(?:(?=\d|T\d)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?D)?(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?|\d+(?:[.,]\d+)?W)$/;

/** xAPI statement version: 1.0 or 1.0.x (Data §2.4.10). */
const STATEMENT_VERSION = /^(?:1\.0|2\.0)(?:\.\d+)?$/;

export function isIri(value: unknown): value is string {
  return typeof value === 'string' && IRI.test(value);
}

/** IRLs are IRIs that are meant to resolve; validated the same way. */
export const isIrl = isIri;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function isMailto(value: unknown): value is string {
  return typeof value === 'string' && MAILTO.test(value);
}

export function isSha1(value: unknown): value is string {
  return typeof value === 'string' && SHA1.test(value);
}

export function isSha2(value: unknown): value is string {
  return typeof value === 'string' && (SHA2_HEX.test(value) || BASE64.test(value));
}

export function isMediaType(value: unknown): value is string {
  return typeof value === 'string' && MEDIA_TYPE.test(value);
}

export function isLanguageTag(value: unknown): value is string {
  return typeof value === 'string' && LANGUAGE_TAG.test(value);
}

export function isDuration(value: unknown): value is string {
  return typeof value === 'string' && DURATION.test(value);
}

export function isStatementVersion(value: unknown): value is string {
  return typeof value === 'string' && STATEMENT_VERSION.test(value);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Parses an xAPI timestamp to epoch milliseconds (fractions beyond milliseconds are truncated),
 * or returns undefined when it is not a valid ISO 8601 date-time with a time zone.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > DAYS_IN_MONTH[month - 1]) return undefined;
  if (month === 2 && day === 29 && !isLeapYear(year)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const offH = Number(oh);
    const offM = om === undefined ? 0 : Number(om);
    if (offH > 23 || offM > 59) return undefined;
    if (sign === '-' && offH === 0 && offM === 0) return undefined; // -00:00, -0000, -00
    offsetMinutes = (sign === '-' ? -1 : 1) * (offH * 60 + offM);
  }
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC maps years 0–99 to 1900–1999; correct for those.
  const date = new Date(utc);
  if (year < 100) date.setUTCFullYear(year);
  return date.getTime() - offsetMinutes * 60_000;
}

export function isTimestamp(value: unknown): value is string {
  return parseTimestamp(value) !== undefined;
}
