/**
 * Runs a labelled JSONL file through QaEngine.ask and prints the figures.
 *
 *   npx tsx src/qa/eval-cli.ts [file] [--quiet]
 *
 * Default file: <project>/../shared/eval/dev-questions.jsonl. Figures only: the list of
 * misses is printed only with --misses and a file named on the command line (never for the
 * shared dev set, whose questions are not for reading). Exit code 0, or 1 on a bad file.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAcademyError } from '../errors.js';
import { projectRoot } from '../paths.js';
import { loadQaEngine } from './engine.js';
import { evaluate, formatReport, readJsonl } from './eval.js';

export function defaultEvalFile(): string {
  return join(projectRoot(), '..', 'shared', 'eval', 'dev-questions.jsonl');
}

export function runEvalCli(args: readonly string[], out: (line: string) => void, err: (line: string) => void): number {
  const files = args.filter((a) => !a.startsWith('--'));
  const showMisses = args.includes('--misses') && files.length > 0;
  try {
    // --retrieval-only: the engine without the topic classifier (for comparison)
    const engine = loadQaEngine(args.includes('--retrieval-only') ? { topics: false } : {});
    for (const file of files.length > 0 ? files : [defaultEvalFile()]) {
      const path = resolve(file);
      out(`== ${path}`);
      out(formatReport(evaluate(engine, readJsonl(path)), { misses: showMisses && path !== resolve(defaultEvalFile()) }));
    }
    return 0;
  } catch (e) {
    if (isAcademyError(e)) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = runEvalCli(process.argv.slice(2), (l) => console.log(l), (l) => console.error(l));
}
