import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ContentError } from './parser.js';

export interface GlossaryEntry {
  readonly term: string;
  readonly aliases: readonly string[];
  readonly meaning: string;
}

const norm = (s: string) => s.toLowerCase().replace(/[’']/g, "'").replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ').trim();

/** The glossary: plain-English meanings, looked up by term or alias ("what is 2fa"). */
export class Glossary {
  private readonly byName = new Map<string, GlossaryEntry>();

  constructor(readonly entries: readonly GlossaryEntry[]) {
    for (const e of entries) for (const name of [e.term, ...e.aliases]) this.byName.set(norm(name), e);
  }

  lookup(word: string): GlossaryEntry | undefined {
    const key = norm(word).replace(/^(?:an?|the)\s+/, '');
    return this.byName.get(key) ?? this.byName.get(key.replace(/s$/, ''));
  }

  /** Every name a term can be written as, lower case. */
  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** Parses content/glossary.md: `## Term`, an optional `Also: a, b` line, then the meaning. */
export function parseGlossary(text: string, file = 'glossary.md'): Glossary {
  const entries: GlossaryEntry[] = [];
  const blocks = text.split(/^##\s+/m).slice(1);
  blocks.forEach((block, i) => {
    const [head, ...rest] = block.split(/\r?\n/);
    const term = head.trim();
    if (!term) throw new ContentError(file, `entries[${i}].term`, 'a ## heading needs a term');
    let aliases: string[] = [];
    const body: string[] = [];
    for (const line of rest) {
      const also = /^Also:\s*(.*)$/i.exec(line.trim());
      if (also && body.length === 0) aliases = also[1].split(',').map((a) => a.trim()).filter(Boolean);
      else body.push(line);
    }
    const meaning = body.join(' ').replace(/\s+/g, ' ').trim();
    if (!meaning) throw new ContentError(file, `entries[${i}].meaning`, `"${term}" has no meaning written`);
    entries.push({ term, aliases, meaning });
  });
  return new Glossary(entries);
}

export function loadGlossary(contentDir: string): Glossary {
  const file = join(contentDir, 'glossary.md');
  return existsSync(file) ? parseGlossary(readFileSync(file, 'utf8')) : new Glossary([]);
}

/** content/jargon.yaml: words a card may use only when the glossary explains them. */
export function loadJargon(contentDir: string): string[] {
  const file = join(contentDir, 'jargon.yaml');
  if (!existsSync(file)) return [];
  const list: unknown = parseYaml(readFileSync(file, 'utf8'));
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) throw new ContentError('jargon.yaml', 'jargon', 'must be a YAML list of words');
  return list.map((x: string) => x.toLowerCase().trim());
}

/** "what is 2fa?", "what's a VPN", "what does encryption mean", "define phishing" → the word asked about. */
export function glossaryQuestion(text: string): string | undefined {
  const t = text.trim().replace(/[?!.]+$/, '');
  const m =
    /^(?:what(?:'|’)?s|what is|what are|whats|what does|what do|define|meaning of|explain)\s+(?:an?\s+|the\s+)?(.+?)(?:\s+mean)?$/i.exec(t);
  return m ? m[1].trim() : undefined;
}
