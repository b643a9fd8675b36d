/**
 * The academy for `npm run bench:bot`: the same composition root as `npm start` (config from the
 * environment), plus an event-loop delay monitor. Prints "LISTENING <port>"; a line "report" on
 * stdin prints "ELD <max ms> <p99 ms>" for the time since the last report and resets it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { loadConfig } from '../src/config.js';
import { startAcademy } from '../src/main.js';

const eld = monitorEventLoopDelay({ resolution: 10 });
const academy = await startAcademy(loadConfig(process.env), { log: () => undefined });
eld.enable();
console.log(`LISTENING ${new URL(academy.url).port}`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'report') return;
  console.log(`ELD ${(eld.max / 1e6).toFixed(1)} ${(eld.percentile(99) / 1e6).toFixed(1)}`);
  eld.reset();
});
process.once('SIGTERM', () => void academy.close().then(() => process.exit(0)));
