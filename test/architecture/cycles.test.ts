/**
 * No import cycle between the top-level parts of the code (see graph.ts): each folder
 * src/<folder>, dialogs/, and each file directly in src/. Checked with the `typescript` package.
 */
import { expect } from 'chai';
import { cycles, folderGraph, nodeOf } from './graph.js';

describe('architecture: import cycles', () => {
  it('finds a cycle when there is one (the walker works)', () => {
    const graph = new Map([
      ['src/a', new Map([['src/b', 'a → b']])],
      ['src/b', new Map([['src/c', 'b → c']])],
      ['src/c', new Map([['src/a', 'c → a']])],
      ['src/d', new Map([['src/a', 'd → a']])],
    ]);
    expect(cycles(graph)).to.deep.equal([['src/a', 'src/b', 'src/c']]);
    expect(nodeOf('src/lrs/store.ts')).to.equal('src/lrs');
    expect(nodeOf('src/cli.js')).to.equal('src/cli.ts');
    expect(nodeOf('dialogs/cards.ts')).to.equal('dialogs');
  });

  it('has no import cycle between src/<folder>s, the files directly in src/ and dialogs/', () => {
    const graph = folderGraph();
    expect(graph.size).to.be.greaterThan(10);
    const described = cycles(graph).map((component) => {
      const inside = component.flatMap((from) => component.filter((to) => graph.get(from)?.has(to)).map((to) => `  ${graph.get(from)!.get(to)!}`));
      return `${component.join(' ↔ ')}\n${inside.join('\n')}`;
    });
    expect(described, `import cycles:\n${described.join('\n')}`).to.deep.equal([]);
  });
});
