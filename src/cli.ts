import { fileURLToPath } from 'node:url';
import { isAcademyError } from './errors.js';
import { checkContent } from './lessons/check.js';
import { loadConfig, readDotEnv } from './config.js';
import { systemClock, type Clock } from './ports.js';
import type { CliIo } from './cliIo.js';

export type { CliIo } from './cliIo.js';

const USAGE = `academy — the Digital Skills Academy command line

  academy content check [--dir <content dir>]   validate every lesson and answer file
  academy content due [--dir <content dir>]     the marked claims (menu paths, phone numbers...) by recheck date
  academy package teams [--out <zip>] [--dev]   build the Teams app package (--dev: allow no app id, http://localhost)
  academy ask                                   answer questions from standard input, one JSON line each (offline)
  academy curation list [--all]                 the questions the content did not answer (curation queue)
  academy curation attach <n> <topic>           attach question n to a topic as a new phrasing
  academy curation handled <n>                  mark question n handled
  academy outbox status                         learning records queued, delivered and failed (with the LRS's reasons)
  academy outbox retry                          queue the failed learning records again, after a fix
  academy export cmi5 --out <dir> [--area <a>]  write the cmi5 course package (zip) for an LMS
  academy export scorm12 --out <dir> [--area <a>]  write SCORM 1.2 packages, one per topic area

Configuration comes from the environment and .env (see README).`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Runs one subcommand; returns the exit code. `clock` is today for the content dates (tests fix it). */
export async function runCli(
  args: string[],
  io: CliIo,
  env: Record<string, string | undefined> = { ...readDotEnv(process.cwd()), ...process.env },
  clock: Clock = systemClock,
): Promise<number> {
  const [group, command] = args;
  try {
    if (group === 'content' && command === 'check') {
      const dir = option(args, '--dir') ?? loadConfig(env).contentDir;
      const report = checkContent(dir, clock);
      for (const w of report.warnings) io.err(`warning: ${w.message}`);
      for (const p of report.problems) io.err(p.message);
      const warned = report.warnings.length > 0 ? `, ${report.warnings.length} warnings` : '';
      io.out(`${report.lessons.length} lessons checked, ${40 - report.missingTopics.length} of 40 topics have content, ${report.problems.length} problems${warned}.`);
      return report.problems.length === 0 ? 0 : 1;
    }
    if (group === 'content' && command === 'due') {
      const { contentDueCommand } = await import('./lessons/dueCommand.js');
      return contentDueCommand(option(args, '--dir') ?? loadConfig(env).contentDir, clock, io);
    }
    if (group === 'package' && command === 'teams') {
      const { packageTeamsCommand } = await import('./teams/command.js');
      return await packageTeamsCommand(loadConfig(env), option(args, '--out'), io, undefined, args.includes('--dev'));
    }
    if (group === 'ask') {
      const { askCommand } = await import('./qa/cli.js');
      return await askCommand({ contentDir: loadConfig(env).contentDir });
    }
    if (group === 'curation') {
      const { curationCommand } = await import('./qa/curationCommand.js');
      return curationCommand(loadConfig(env), args.slice(1), io);
    }
    if (group === 'outbox') {
      const { outboxCommand } = await import('./outbox/command.js');
      return outboxCommand(loadConfig(env), command, io);
    }
    if (group === 'export') {
      const { exportCommand } = await import('./lms/command.js');
      return await exportCommand(loadConfig(env), command, option(args, '--out'), option(args, '--area'), io);
    }
    io.out(USAGE);
    return group === undefined || group === 'help' || group === '--help' ? 0 : 2;
  } catch (e) {
    if (isAcademyError(e)) {
      io.err(e.message);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };
  runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
