/**
 * `npm run eval:safety FILE… [--show-misses]`: the safety figures of each file (see safety-eval.ts).
 * Exit code 0, or 1 on a bad file or no file.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAcademyError } from '../errors.js';
import { loadQaEngine } from './engine.js';
import { evaluateSafety, formatSafetyReport, readSafetyJsonl } from './safety-eval.js';

export function runSafetyEvalCli(args: readonly string[], out: (line: string) => void, err: (line: string) => void): number {
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    err('usage: npm run eval:safety -- FILE.jsonl [FILE.jsonl …] [--show-misses]');
    return 1;
  }
  try {
    const engine = loadQaEngine();
    for (const file of files) {
      const path = resolve(file);
      out(`== ${path}`);
      out(formatSafetyReport(evaluateSafety(engine, readSafetyJsonl(path)), args.includes('--show-misses')));
    }
    return 0;
  } catch (e) {
    if (!isAcademyError(e)) throw e;
    err(e.message);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = runSafetyEvalCli(process.argv.slice(2), (l) => console.log(l), (l) => console.error(l));
}
