// The Node.js versions the package declares and the ones CI tests it on: package.json `engines` (from
// `.projenrc.ts` minNodeVersion) and `.ci/node-versions.sh`, which `.ci/run` calls, must agree.
import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const engines: string | undefined = JSON.parse(read('package.json')).engines?.node;
const lowestMajor = Number(/^>= (\d+)\.0\.0$/.exec(engines ?? '')?.[1]);
const tested = /^\[\[ \$\{#versions\[@\]\} -gt 0 \]\] \|\| versions=\(([\d ]+)\)$/m.exec(read('.ci/node-versions.sh'))?.[1].split(' ').map(Number);

// Node 20 reached its end of life; jsii (whose runtime the Python, Java, .NET and Go packages start) no longer supports it.
test('package.json declares Node.js 22 and later, not the end-of-life Node 20', () => {
  expect(engines).toBe('>= 22.0.0');
});

test('.ci/run runs the tests on Node 22 and 24, the lowest declared major first', () => {
  expect(read('.ci/run')).toMatch(/^\.ci\/node-versions\.sh$/m);
  expect(tested).toEqual([22, 24]);
  expect(tested?.[0]).toBe(lowestMajor);
});
