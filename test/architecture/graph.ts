/**
 * No import cycle between the top-level parts of the code: each folder src/<folder>, the
 * dialogs/ folder, and each file directly in src/ (src/cli.ts, src/main.ts …) is one node; an
 * import (static, type-only, re-export or dynamic import()) from one node to another is an edge.
 * A dependency walker over the TypeScript sources with the `typescript` package (no madge).
 */
import { dirname, posix } from 'node:path';
import ts from 'typescript';
import { sourceFiles } from './sources.js';

/** 'src/lrs/store.ts' → 'src/lrs'; 'src/cli.ts' → 'src/cli.ts'; 'dialogs/cards.ts' → 'dialogs'. */
export function nodeOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'dialogs') return 'dialogs';
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : path.replace(/\.js$/, '.ts');
}

/** Edges between nodes, each with one import that makes it (for the failure message). */
export function folderGraph(root?: string): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(root)) {
    const from = nodeOf(file.path);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const imported of ts.preProcessFile(file.text, true, true).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const target = posix.normalize(posix.join(dirname(file.path), imported.fileName));
      const to = nodeOf(target);
      if (to !== from && !edges.has(to)) edges.set(to, `${file.path} imports ${imported.fileName}`);
    }
  }
  return graph;
}

/** Strongly connected components with more than one node (Tarjan). */
export function cycles(graph: Map<string, Map<string, string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) !== indices.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

