/** A plain JSON-style object: not null, not an array. The one record guard of the academy. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
