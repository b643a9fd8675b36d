/**
 * Size limits (issue 16): no function, method or arrow in src/ or dialogs/ longer than 100
 * lines (first to last line), and no .ts/.js source file there longer than 500 lines. Generated
 * data (a file saying `@generated` in its first lines) is exempt. A browser script (src/web/*.js,
 * src/lms/browser/*.js) may wrap itself in one outer IIFE, which is exempt; its inner functions
 * are not.
 */
import { expect } from 'chai';
import { MAX_FILE_LINES, MAX_FUNCTION_LINES, isGenerated, lineCount, longFunctions } from './size.js';
import { sourceFiles } from './sources.js';

describe('architecture: size limits', () => {
  const files = sourceFiles().filter((f) => !isGenerated(f));

  it('measures functions as the rule says (the checker works)', () => {
    const body = Array.from({ length: 101 }, (_, i) => `  const a${i} = ${i};`).join('\n');
    const long = { path: 'src/x.ts', text: `export function big() {\n${body}\n}\nconst ok = () => 1;\n` };
    expect(longFunctions(long)).to.deep.equal(['src/x.ts:1 big (103 lines)']);
    const iife = { path: 'src/web/x.js', text: `(() => {\n${body}\n  function inner() {\n${body}\n  }\n})();\n` };
    expect(longFunctions(iife)).to.deep.equal(['src/web/x.js:103 inner (103 lines)']);
  });

  // Skipped until the other issue-16 branches (dialogs/, admin/, lrs/, directline/ …) are merged; see the report.
  it(`has no source file longer than ${MAX_FILE_LINES} lines`, () => {
    const long = files.filter((f) => lineCount(f.text) > MAX_FILE_LINES).map((f) => `${f.path} (${lineCount(f.text)} lines)`);
    expect(long, long.join('\n')).to.deep.equal([]);
  });

  it(`has no function longer than ${MAX_FUNCTION_LINES} lines`, () => {
    const long = files.flatMap((f) => longFunctions(f));
    expect(long, long.join('\n')).to.deep.equal([]);
  });
});
