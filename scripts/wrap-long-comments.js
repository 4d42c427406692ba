// Wraps comments longer than 120 characters, which Prettier leaves as they are: a whole-line `//` comment
// becomes several, a one-line `/** … */` becomes a block, and a long line inside a block comment is split.
// Only comments are touched (found with the TypeScript parser, so nothing in a string or template moves).
// Usage: node scripts/wrap-long-comments.js [files…] (default: every .ts/.js/.cjs file git tracks).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';

const WIDTH = 120;
const SKIP = [/^dist\//, /^node_modules\//, /^test\/support\/api-schema\.d\.ts$/];

function commentRanges(path, text) {
  const kind = path.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const ranges = new Map();
  const add = (list) => list?.forEach((r) => ranges.set(r.pos, r));
  const visit = (node) => {
    add(ts.getLeadingCommentRanges(text, node.pos));
    add(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(source);
  add(ts.getLeadingCommentRanges(text, source.endOfFileToken.pos));
  return [...ranges.values()];
}

function fill(words, prefix) {
  const lines = [];
  let line = '';
  for (const word of words) {
    if (line && (prefix + line + ' ' + word).length > WIDTH) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? line + ' ' + word : word;
  }
  if (line) lines.push(prefix + line);
  return lines;
}

export function wrap(path, text) {
  const ranges = commentRanges(path, text);
  const lines = text.split('\n');
  const starts = [];
  let at = 0;
  for (const line of lines) {
    starts.push(at);
    at += line.length + 1;
  }
  const within = (pos) => ranges.find((r) => r.pos <= pos && pos < r.end);
  const out = [];
  lines.forEach((line, i) => {
    if (line.length <= WIDTH) return out.push(line);
    const indent = /^\s*/.exec(line)[0];
    const range = within(starts[i] + indent.length);
    if (!range) return out.push(line);
    const rest = line.slice(indent.length);
    // Directives act on the next line: split, they would act on their own continuation.
    if (/^\/\/\s*(eslint|@ts-|prettier-ignore)|^\/\/\/ </.test(rest)) return out.push(line);
    let m;
    if (range.kind === ts.SyntaxKind.SingleLineCommentTrivia && (m = /^(\/\/+ ?)(.*)$/.exec(rest))) {
      return out.push(...fill(m[2].split(' ').filter(Boolean), indent + m[1]));
    }
    if ((m = /^\/\*\* (.*) \*\/$/.exec(rest))) {
      return out.push(indent + '/**', ...fill(m[1].split(' ').filter(Boolean), indent + ' * '), indent + ' */');
    }
    if ((m = /^(\* ?)(.*)$/.exec(rest)) && range.pos < starts[i]) {
      return out.push(...fill(m[2].split(' ').filter(Boolean), indent + m[1]));
    }
    out.push(line);
  });
  return out.join('\n');
}

const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : execFileSync('git', ['ls-files', '*.ts', '*.js', '*.cjs'], { encoding: 'utf8' }).split('\n').filter(Boolean);
let changed = 0;
for (const path of files.filter((f) => !SKIP.some((re) => re.test(f)))) {
  const text = readFileSync(path, 'utf8');
  const wrapped = wrap(path, text);
  if (wrapped !== text) {
    writeFileSync(path, wrapped);
    changed += 1;
  }
}
console.log(`wrap-long-comments: ${changed} file(s) changed`);
