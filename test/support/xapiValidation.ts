import xapiValidation from '@learninglocker/xapi-validation';

/**
 * @learninglocker/xapi-validation: a list of warnings for a statement (empty when valid). It is
 * CommonJS with `exports.default`, so the default import is the function or its module object.
 */
export const validateXapi: (statement: unknown) => unknown[] = (() => {
  const mod: unknown = xapiValidation;
  const fn = typeof mod === 'function' ? mod : typeof mod === 'object' && mod !== null && 'default' in mod ? mod.default : undefined;
  if (typeof fn !== 'function') throw new Error('@learninglocker/xapi-validation exports no function');
  return (statement: unknown) => {
    const warnings: unknown = fn(statement);
    if (!Array.isArray(warnings)) throw new Error('@learninglocker/xapi-validation returned no warning list');
    return warnings;
  };
})();
