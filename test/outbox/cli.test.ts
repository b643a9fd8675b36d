import { expect } from 'chai';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { systemClock } from '../../src/ports.js';
import { tempDir } from '../support/bot.js';
import { statementsFrom, voidingUnknown } from './helpers.js';

function captured(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l) };
}

describe('academy outbox (command line)', () => {
  it('status shows queued, delivered and failed counts, and each failed statement\'s id, verb and reason; retry queues them again', async () => {
    const dataDir = tempDir('outbox-cli-');
    const outbox = new Outbox({ file: join(dataDir, 'outbox.sqlite'), clock: systemClock });
    const [a, b, c] = statementsFrom('2026-03-01T10:00:00.000Z', 3);
    const bad = voidingUnknown('2026-03-01T10:00:05.000Z');
    outbox.enqueue([a, b, c, bad]);
    const batch = outbox.nextBatch(4);
    outbox.markDelivered(batch.slice(0, 2));
    outbox.markFailed(batch.slice(3), 400, '400: statements[0].object.id is not a stored statement, so it cannot be voided');
    outbox.close();

    const env = { DATA_DIR: dataDir };
    const status = captured();
    expect(await runCli(['outbox', 'status'], status, env), 'non-zero while statements have failed').to.equal(1);
    const text = status.lines.join('\n');
    expect(text).to.match(/queued:\s+1/).and.match(/delivered:\s+2/).and.match(/failed:\s+1/);
    expect(text).to.contain(bad.id).and.contain('http://adlnet.gov/expapi/verbs/voided').and.contain('cannot be voided');
    expect(text).to.contain('the embedded LRS');

    const retry = captured();
    expect(await runCli(['outbox', 'retry'], retry, env)).to.equal(0);
    expect(retry.lines.join('\n')).to.contain('1 failed statement queued again');
    const after = captured();
    expect(await runCli(['outbox', 'status'], after, { ...env, LRS_ENDPOINT: 'https://lrs.example.org/xapi', LRS_KEY: 'k', LRS_SECRET: 's' })).to.equal(0);
    expect(after.lines.join('\n')).to.match(/queued:\s+2/).and.match(/failed:\s+0/).and.contain('https://lrs.example.org/xapi');
  });

  it('says so when there is no outbox yet, and names a wrong subcommand', async () => {
    const io = captured();
    expect(await runCli(['outbox', 'status'], io, { DATA_DIR: tempDir('outbox-cli-') })).to.equal(0);
    expect(io.lines.join('\n')).to.contain('No outbox yet');
    const wrong = captured();
    expect(await runCli(['outbox', 'flush'], wrong, { DATA_DIR: tempDir('outbox-cli-') })).to.equal(2);
    expect(wrong.lines.join('\n')).to.contain('"status" or "retry"');
  });

  it('refuses an incomplete external LRS configuration, naming the variable', async () => {
    const io = captured();
    expect(await runCli(['outbox', 'status'], io, { DATA_DIR: tempDir('outbox-cli-'), LRS_ENDPOINT: 'https://lrs.example.org/xapi' })).to.equal(1);
    expect(io.lines.join('\n')).to.contain('LRS_KEY is required when LRS_ENDPOINT is set');
    const version = captured();
    expect(await runCli(['outbox', 'status'], version, { DATA_DIR: tempDir('outbox-cli-'), LRS_VERSION: '1.0' })).to.equal(1);
    expect(version.lines.join('\n')).to.contain('LRS_VERSION must be 1.0.3 or 2.0.0');
  });
});
