// Writes jsii-rosetta's Python translation of each TypeScript example in README.md under it, in a
// collapsible block, from the tablet that `jsii-rosetta extract` leaves in .jsii.tabl.json.
// Runs after extract (post-compile): CI then fails when README.md is out of date, and the Python consumer
// app (test/consumers/python) runs every ```python block against the built wheel.
import { readFileSync, writeFileSync } from 'fs';

const README = 'README.md';
const TABLET = '.jsii.tabl.json';
const OPEN = '<details><summary>Python</summary>';
const CLOSE = '</details>';

interface Snippet {
  readonly translations: { readonly [language: string]: { readonly source: string } | undefined };
}

// Examples are matched by their TypeScript source (the tablet's `$` translation), not by line:
// rosetta's cache keeps the line an unchanged example had when it was first extracted.
const tablet: { snippets: Record<string, Snippet> } = JSON.parse(readFileSync(TABLET, 'utf8'));
const pythonBySource = new Map<string, string>();
for (const { translations } of Object.values(tablet.snippets)) {
  if (translations.$ && translations.python) {
    pythonBySource.set(translations.$.source.trim(), pythonic(translations.python.source.replace(/\n{3,}/g, '\n\n').trim()));
  }
}

// Rosetta leaves JavaScript's `new Date(iso)` as `Date(iso)`; jsii takes a datetime in Python.
function pythonic(python: string): string {
  if (!/\bDate\(/.test(python)) return python;
  return `from datetime import datetime\n${python.replace(/\bDate\(/g, 'datetime.fromisoformat(')}`;
}

const lines = readFileSync(README, 'utf8').split('\n');
const out: string[] = [];
const missing: number[] = [];
let translated = 0;
for (let i = 0; i < lines.length; i++) {
  out.push(lines[i]);
  if (!/^```(ts|typescript)\b/.test(lines[i])) continue;
  const fence = i;
  const source: string[] = [];
  while (lines[++i] !== '```') source.push(lines[i]);
  out.push(...source, lines[i]);
  // Drop the Python block written last time, if any.
  if (lines[i + 1] === '' && lines[i + 2] === OPEN) {
    i += 2;
    while (lines[i] !== CLOSE) i++;
  }
  const python = pythonBySource.get(source.join('\n').trim());
  if (python === undefined) {
    missing.push(fence + 1);
    continue;
  }
  out.push('', OPEN, '', '```python', python, '```', '', CLOSE);
  translated++;
}
writeFileSync(README, out.join('\n'));
console.log(`${README}: Python translations of ${translated} TypeScript examples`);
if (missing.length > 0) {
  console.error(`no translation in ${TABLET} for the examples at README.md lines ${missing.join(', ')}: run \`npx projen compile\` first`);
  process.exit(1);
}
