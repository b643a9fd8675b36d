import { existsSync } from 'node:fs';
import type { CliIo } from '../cliIo.js';
import type { Config } from '../config.js';
import { dataPaths } from '../paths.js';
import { systemClock } from '../ports.js';
import { Outbox } from './outbox.js';

/**
 * `academy outbox status`: queued / delivered / failed counts and each failed statement's id,
 * verb and the LRS's reason. `academy outbox retry`: puts the failed statements back in the
 * queue (after the cause is fixed); a running academy picks them up within seconds.
 * Both work while the academy runs (SQLite WAL; the sender polls the file when idle).
 */
export function outboxCommand(config: Config, command: string | undefined, io: CliIo): number {
  if (command !== 'status' && command !== 'retry') {
    io.err(`academy outbox needs "status" or "retry", got "${command ?? ''}"`);
    return 2;
  }
  const file = dataPaths(config).outbox;
  const target = config.lrs.endpoint || 'the embedded LRS';
  if (!existsSync(file)) {
    io.out(`No outbox yet at ${file}: nothing has been recorded with this DATA_DIR.`);
    return 0;
  }
  const outbox = new Outbox({ file, clock: systemClock });
  try {
    if (command === 'retry') {
      const n = outbox.retryFailed();
      io.out(n === 0 ? 'No failed statements to retry.' : `${n} failed statement${n === 1 ? '' : 's'} queued again for ${target}; a running academy sends them within a few seconds.`);
      return 0;
    }
    const status = outbox.status();
    io.out(`Outbox ${file} → ${target}`);
    io.out(`  queued:    ${status.queued}${status.oldestQueued ? ` (oldest ${status.oldestQueued})` : ''}`);
    io.out(`  delivered: ${status.delivered}`);
    io.out(`  failed:    ${status.failed}`);
    if (status.failures.length > 0) {
      io.out('Failed statements (fix the cause, then run `academy outbox retry`):');
      for (const f of status.failures) io.out(`  ${f.id}  ${f.verb}  ${f.timestamp}  ${f.reason}`);
    }
    return status.failed === 0 ? 0 : 1;
  } finally {
    outbox.close();
  }
}
