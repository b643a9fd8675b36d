import { loadConfig } from '../../src/config.js';
import { AcademyError } from '../../src/errors.js';

/** The field a configuration is refused for (undefined when it loads). */
export function configFieldOf(env: Record<string, string>): string | undefined {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof AcademyError) return e.field;
    throw e;
  }
  return undefined;
}
