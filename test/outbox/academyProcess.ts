/**
 * The academy in a child process for the chaos test: loads the academy's modules, prints
 * READY, and starts the academy — the same composition root as `npm start`, config from the
 * environment — when the parent writes a line on stdin. Loading first lets the test keep a
 * warm process ready, so a restart after SIGKILL takes the academy's start time, not Node's
 * module loading on a busy machine. Prints "LISTENING <port>"; SIGTERM closes it cleanly.
 */
import { loadConfig } from '../../src/config.js';
import { startAcademy } from '../../src/main.js';

process.stdin.once('data', () => {
  startAcademy(loadConfig(process.env), { log: (line) => console.log(line) }).then(
    (academy) => {
      console.log(`LISTENING ${new URL(academy.url).port}`);
      process.once('SIGTERM', () => void academy.close().then(() => process.exit(0)));
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
});
console.log('READY');
