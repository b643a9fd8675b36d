import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';

/** The README's configuration table, as generated from CONFIG_VARIABLES (one row each, in order). */
export function configTable(): string {
  const rows = CONFIG_VARIABLES.map(([name, fallback, what]) => `| \`${name}\` | ${fallback} | ${what} |`);
  return ['| variable | default | what |', '| --- | --- | --- |', ...rows].join('\n');
}

describe('README configuration table', () => {
  it('is exactly the table generated from CONFIG_VARIABLES', () => {
    const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
    const start = readme.indexOf('| variable | default | what |');
    expect(start, 'the README has a configuration table').to.be.greaterThan(0);
    const end = readme.indexOf('\n\n', start);
    expect(readme.slice(start, end)).to.equal(configTable());
  });
});
