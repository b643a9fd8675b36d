/**
 * `academy ask`: questions in, answers out, one a line, offline.
 *
 * Input (stdin), one question a line. A line that is a JSON object uses its "q" field
 * ({"q": "how do i book a gp appointment", "id": 7}); any other line is the question
 * itself. Blank lines are skipped.
 *
 * Output, one JSON object a line, in input order, with the fields in this order:
 *   {"q", "triage", "topic", "confidence", "alternatives", "answer", "sources"}
 * A JSON object line without a string "q" gets {"q": null, "error": "..."} on its line,
 * and the run goes on.
 */
import { createInterface } from 'node:readline';
import type { AskResult, QaEngine } from './engine.js';
import { loadQaEngine, type LoadOptions } from './engine.js';

/** The question a line carries: its "q" if it is a JSON object, else the line. */
export function questionOf(line: string): { q: string } | { error: string } {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    let v: unknown;
    try {
      v = JSON.parse(trimmed);
    } catch {
      return { q: trimmed }; // not JSON after all: a question that starts with "{"
    }
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const q: unknown = Reflect.get(v, 'q');
      return typeof q === 'string' ? { q } : { error: 'JSON line has no string "q" field' };
    }
  }
  return { q: trimmed };
}

/** The protocol line for one result (fields in protocol order). */
export function formatResult(r: AskResult): string {
  return JSON.stringify({
    q: r.q,
    triage: r.triage,
    topic: r.topic,
    confidence: r.confidence,
    alternatives: r.alternatives,
    answer: r.answer,
    sources: r.sources.map((s) => ({ title: s.title, url: s.url, reviewed: s.reviewed })),
  });
}

function write(output: NodeJS.WritableStream, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    output.write(line + '\n', (err) => (err ? reject(err) : resolve()));
  });
}

/** Reads questions from `input` until it ends, writing one JSON answer a line to `output`. */
export async function runAsk(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, engine: QaEngine): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const parsed = questionOf(line);
    if ('error' in parsed) {
      await write(output, JSON.stringify({ q: null, error: parsed.error }));
      continue;
    }
    await write(output, formatResult(engine.ask(parsed.q)));
  }
}

/** For src/cli.ts: builds the engine from the content and runs the protocol on stdin/stdout. */
export async function askCommand(options: LoadOptions = {}, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<number> {
  await runAsk(input, output, loadQaEngine(options));
  return 0;
}
