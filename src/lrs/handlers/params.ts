import type { IncomingMessage } from 'node:http';
import { AcademyError } from '../../errors.js';

/** Query parameters, each at most once, all known (Communication §3.2.s3.b7–b8). */
export function queryParameters(req: IncomingMessage, allowed: ReadonlySet<string>): Map<string, string> {
  const url = new URL(req.url ?? '/', 'http://lrs.invalid');
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (name === 'method') {
      throw new AcademyError(400, 'the alternate request syntax (?method=) must be sent as a POST', 'method');
    }
    if (!allowed.has(name)) throw new AcademyError(400, `unknown parameter ${name}`, name);
    if (params.has(name)) throw new AcademyError(400, `parameter ${name} is given more than once`, name);
    params.set(name, value);
  }
  return params;
}

export function booleanParameter(params: Map<string, string>, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new AcademyError(400, `${name} must be true or false`, name);
}
