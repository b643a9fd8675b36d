/** The building blocks of statement validation: the failure, property paths and value checks. */
import { isIri, isIrl, isLanguageTag, isTimestamp, isUuid } from './formats.js';
import { isRecord } from '../http/guards.js';

export type Obj = Record<string, unknown>;

/** Internal failure: where (a path relative to the statement) and what. */
export class Invalid extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(problem);
  }
}

export function fail(path: string, problem: string): never {
  throw new Invalid(path, problem);
}

export function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function atIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Map keys that are data (language tags, extension IRIs) are quoted. */
export function atKey(path: string, key: string): string {
  return `${path}[${JSON.stringify(key)}]`;
}

export function object(value: unknown, path: string): Obj {
  if (!isRecord(value)) fail(path, 'must be an object');
  return value;
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  return value;
}

export function allowOnly(o: Obj, path: string, allowed: ReadonlySet<string>, where?: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.has(key)) fail(at(path, key), where ? `is not allowed in ${where}` : 'is not allowed');
  }
}

export function required(o: Obj, key: string, path: string): unknown {
  const value = o[key];
  if (value === undefined) fail(at(path, key), 'is required');
  return value;
}

export function string(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'must be a string');
  return value;
}

export function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(path, 'must be a non-empty string');
  return value;
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'must be a boolean (true or false)');
  return value;
}

export function number(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'must be a number');
  return value;
}

export function iri(value: unknown, path: string): string {
  if (!isIri(value)) fail(path, 'must be an IRI');
  return value;
}

export function irl(value: unknown, path: string): string {
  if (!isIrl(value)) fail(path, 'must be an IRL');
  return value;
}

export function uuid(value: unknown, path: string): string {
  if (!isUuid(value)) fail(path, 'must be a UUID');
  return value;
}

export function timestamp(value: unknown, path: string): string {
  if (!isTimestamp(value)) fail(path, 'must be an ISO 8601 timestamp with a time zone');
  return value;
}

export function languageMap(value: unknown, path: string): void {
  const o = object(value, path);
  for (const [tag, text] of Object.entries(o)) {
    if (!isLanguageTag(tag)) fail(atKey(path, tag), 'is not an RFC 5646 language tag');
    string(text, atKey(path, tag));
  }
}

export function extensions(value: unknown, path: string): void {
  const o = object(value, path);
  // Values are free (null included, §2.2.s4.b1.b1); keys must be IRIs (§4.1.s3.b1).
  for (const key of Object.keys(o)) {
    if (!isIri(key)) fail(atKey(path, key), 'is not an IRI (extension keys must be IRIs)');
  }
}
