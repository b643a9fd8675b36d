/** The size rules' measures (size.test.ts). */
import ts from 'typescript';
import type { SourceFile } from './sources.js';

export const MAX_FUNCTION_LINES = 100;
export const MAX_FILE_LINES = 500;
const BROWSER_SCRIPT = /^src\/(web|lms\/browser)\/[^/]+\.js$/;

export function isGenerated(file: SourceFile): boolean {
  return /@generated/.test(file.text.split('\n').slice(0, 5).join('\n'));
}

export function lineCount(text: string): number {
  return text.replace(/\n$/, '').split('\n').length;
}

/** `(() => { … })();` or `(function () { … })();` as a top-level statement. */
function isOuterIife(node: ts.Node): boolean {
  let up = node.parent;
  while (up && ts.isParenthesizedExpression(up)) up = up.parent;
  return !!up && ts.isCallExpression(up) && ts.isExpressionStatement(up.parent) && ts.isSourceFile(up.parent.parent);
}

function nameOf(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return '(anonymous)';
}

/** 'src/x.ts:12 name (123 lines)' for every function over the limit. */
export function longFunctions(file: SourceFile, max = MAX_FUNCTION_LINES): string[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, file.path.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const first = source.getLineAndCharacterOfPosition(fn.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(fn.getEnd()).line;
      const lines = last - first + 1;
      const exempt = BROWSER_SCRIPT.test(file.path) && isOuterIife(fn);
      if (lines > max && !exempt) found.push(`${file.path}:${first + 1} ${nameOf(fn, source)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

