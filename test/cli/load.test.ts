// Reading the CLI's input files: a JSON file too long for one JavaScript string is read without its whitespace.
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readText, withoutJsonWhitespace } from '../../src/cli/load';

test('whitespace between JSON tokens goes; whitespace, escaped quotes and UTF-8 inside strings stay', () => {
  const json = '{\n    "tags": [ "a b", "say \\"hi\\" ", "é \\\\" ],\r\n\t"n": 1\n}';
  const compact = withoutJsonWhitespace(Buffer.from(json)).toString('utf8');
  expect(compact).toBe('{"tags":["a b","say \\"hi\\" ","é \\\\"],"n":1}');
  expect(JSON.parse(compact)).toEqual(JSON.parse(json));
});

test('a file longer than the longest string is read compacted; a shorter one as it is', () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-'));
  const file = join(dir, 'images.json');
  writeFileSync(file, '{\n    "imageDetails": []\n}\n');
  expect(readText(file, 10)).toBe('{"imageDetails":[]}');
  expect(readText(file)).toBe('{\n    "imageDetails": []\n}\n');
  rmSync(dir, { recursive: true });
});
