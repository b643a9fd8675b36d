import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { questionOf, runAsk } from '../../src/qa/cli.js';
import { sharedEngine } from './helpers.js';

async function ask(lines: string[]): Promise<Record<string, unknown>[]> {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const done = runAsk(input, output, sharedEngine());
  input.end(lines.join('\n') + '\n');
  await done;
  return chunks
    .join('')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('qa ask line protocol', function () {
  this.timeout(30000);

  it('answers a plain line and a JSON line, one JSON object per line, fields in order', async () => {
    const out = await ask(['how do i share my screen in teams', JSON.stringify({ q: 'how do i report a scam text', id: 4 })]);
    expect(out).to.have.length(2);
    for (const o of out) expect(Object.keys(o)).to.deep.equal(['q', 'triage', 'topic', 'confidence', 'alternatives', 'answer', 'sources']);
    expect(out[0]?.q).to.equal('how do i share my screen in teams');
    expect(out[0]?.topic).to.equal('work-tools.teams');
    expect(out[1]?.q).to.equal('how do i report a scam text');
    expect(out[1]?.topic).to.equal('safety.phishing');
    const sources = out[1]?.sources;
    expect(sources).to.be.an('array').that.is.not.empty;
  });

  it('skips blank lines and keeps the input order', async () => {
    const out = await ask(['', 'tell me a joke', '   ', 'i cant breathe']);
    expect(out.map((o) => o.triage)).to.deep.equal(['off-topic', 'emergency']);
  });

  it('writes an error line for a JSON object without a q, and goes on', async () => {
    const out = await ask([JSON.stringify({ question: 'x' }), 'how do i copy and paste']);
    expect(out[0]).to.deep.equal({ q: null, error: 'JSON line has no string "q" field' });
    expect(out[1]?.triage).to.equal('answer');
  });

  it('treats a line that only looks like JSON as the question', () => {
    expect(questionOf('{not json')).to.deep.equal({ q: '{not json' });
    expect(questionOf('  {"q":"hi"} ')).to.deep.equal({ q: 'hi' });
  });

  it('ends cleanly on empty input', async () => {
    expect(await ask([])).to.deep.equal([]);
  });
});
