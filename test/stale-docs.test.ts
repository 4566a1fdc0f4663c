// Docs that drifted from the code (issue 16): they must not come back.
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..');

test.each([
  // EmptyOnDelete is left out of the template when off: not every default is explicit.
  'all explicit in the template',
  // Three presets: forDevelopment, forProduction, forCompliance.
  'presets for development and production',
  'two presets',
])('no source or README says "%s"', phrase => {
  // git grep exits 1 when it finds nothing.
  const found = spawnSync('git', ['grep', '-n', '-i', '-F', phrase, '--', 'src', 'README.md', '.projenrc.ts', 'package.json'],
    { cwd: ROOT, encoding: 'utf8' });
  expect(found.status).toBe(1);
  expect(found.stdout).toBe('');
});

test('the package description names the three presets', () => {
  const description: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).description;
  expect(description).toContain('presets for development, production and compliance');
});
