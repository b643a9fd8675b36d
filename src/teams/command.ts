import { join, resolve } from 'node:path';
import type { CliIo } from '../cliIo.js';
import type { Config } from '../config.js';
import { projectRoot } from '../paths.js';
import { buildTeamsPackage, DEFAULT_TEAMS_PACKAGE, packageVersion } from './package.js';

/**
 * `academy package teams [--out <zip>]` (`npm run package:teams`): builds the Teams app package
 * from `manifest/` with MicrosoftAppId and ACADEMY_BASE_URL, by default into
 * `dist/teams/academy-teams.zip`. Without a real MicrosoftAppId and an https ACADEMY_BASE_URL it
 * fails unless `--dev` is given; with `--dev` those are warnings on `io.err` and the package is written. A failure throws an AcademyError for the CLI to print.
 */
export async function packageTeamsCommand(config: Config, out: string | undefined, io: CliIo, root: string = projectRoot(), dev = false): Promise<number> {
  const result = await buildTeamsPackage({
    dev,
    appVersion: packageVersion(root),
    manifestDir: join(root, 'manifest'),
    botId: config.bot.appId,
    baseUrl: config.baseUrl,
    outFile: out ? resolve(out) : join(root, DEFAULT_TEAMS_PACKAGE),
  });
  for (const warning of result.warnings) io.err(`Warning: ${warning.message}`);
  io.out(`Wrote ${result.outFile} (Teams app manifest v${result.manifest.manifestVersion}, bot id ${result.manifest.id}).`);
  if (result.placeholderBotId) io.out('Set MicrosoftAppId before uploading this package to Teams.');
  else if (!result.insecureBaseUrl) io.out('Upload it in Teams (Apps > Manage your apps > Upload an app) or in the Teams Developer Portal.');
  return 0;
}
