#!/usr/bin/env node
// The `academy` command. Runs the compiled CLI (npm run build), or the TypeScript source through tsx in a checkout.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));
let cli;
if (existsSync(compiled)) {
  cli = await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli.ts');
}
const io = { out: (l) => console.log(l), err: (l) => console.error(l) };
process.exitCode = await cli.runCli(process.argv.slice(2), io);
