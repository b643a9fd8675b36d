/** The project's own sources under src/ and dialogs/, for the architecture tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { projectRoot } from '../../src/paths.js';

export const ROOT = projectRoot();

export interface SourceFile {
  /** Relative to the project root, with '/' separators: 'src/lrs/store.ts'. */
  readonly path: string;
  readonly text: string;
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
}

/** Every .ts and .js file under src/ and dialogs/. */
export function sourceFiles(root = ROOT): SourceFile[] {
  const files: string[] = [];
  for (const top of ['src', 'dialogs']) walk(join(root, top), files);
  return files.sort().map((file) => ({ path: relative(root, file).split(sep).join('/'), text: readFileSync(file, 'utf8') }));
}
