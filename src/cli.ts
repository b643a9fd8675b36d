import { fileURLToPath } from 'node:url';
import { isAcademyError } from './errors.js';
import { checkContent } from './lessons/check.js';
import { loadConfig, readDotEnv } from './config.js';
import { systemClock } from './ports.js';

/** What a subcommand writes to; tests pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `academy — the Digital Skills Academy command line

  academy content check [--dir <content dir>]   validate every lesson and answer file
  academy package teams [--out <zip>]           build the Teams app package

Configuration comes from the environment and .env (see README).`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Runs one subcommand; returns the exit code. */
export async function runCli(args: string[], io: CliIo, env: Record<string, string | undefined> = { ...readDotEnv(process.cwd()), ...process.env }): Promise<number> {
  const [group, command] = args;
  try {
    if (group === 'content' && command === 'check') {
      const dir = option(args, '--dir') ?? loadConfig(env).contentDir;
      const report = checkContent(dir, systemClock);
      for (const p of report.problems) io.err(p.message);
      io.out(`${report.lessons.length} lessons checked, ${40 - report.missingTopics.length} of 40 topics have content, ${report.problems.length} problems.`);
      return report.problems.length === 0 ? 0 : 1;
    }
    if (group === 'package' && command === 'teams') {
      const { packageTeamsCommand } = await import('./teams/command.js');
      return await packageTeamsCommand(loadConfig(env), option(args, '--out'), io);
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
