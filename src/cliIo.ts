/**
 * What a command-line subcommand writes to; tests pass their own. Its own module, so the
 * subcommands (src/<folder>/command.ts) need not import src/cli.ts, which imports them.
 */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}
