// The one sort of a preview: newest push first, equal push times by digest ascending.
import * as fc from 'fast-check';
import * as imageOrder from '../../../src/lifecycle/private/image-order';

function reference(keys: number[], digests: string[]): number[] {
  return keys.map((_, i) => i).sort((a, b) => keys[b] - keys[a] || (digests[a] < digests[b] ? -1 : digests[a] > digests[b] ? 1 : 0));
}

test('orders newest first and breaks ties by digest, whatever the input order', () => {
  const keys = [100, 300, 200, 300, 100];
  const digests = ['sha256:e', 'sha256:d', 'sha256:c', 'sha256:a', 'sha256:b'];
  expect([...imageOrder.newestFirst(Float64Array.from(keys), (i) => digests[i])]).toEqual([3, 1, 2, 4, 0]);
});

test('handles no image and one image', () => {
  expect([...imageOrder.newestFirst(new Float64Array(0), () => '')]).toEqual([]);
  expect([...imageOrder.newestFirst(Float64Array.from([5]), () => 'a')]).toEqual([0]);
});

test('falls back to a comparison sort for key ranges beyond 2^48 ms', () => {
  const keys = [-8.64e15, 8.64e15, 0, 8.64e15];
  const digests = ['a', 'c', 'b', 'a'];
  expect([...imageOrder.newestFirst(Float64Array.from(keys), (i) => digests[i])]).toEqual(reference(keys, digests));
});

test('agrees with a comparison sort for any push times and digests', () => {
  const times = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }));
  fc.assert(fc.property(fc.array(fc.tuple(times, fc.constantFrom('a', 'b', 'c', 'd')), { maxLength: 60 }), (entries) => {
    const keys = entries.map(([t]) => t);
    const digests = entries.map(([, d]) => d);
    expect([...imageOrder.newestFirst(Float64Array.from(keys), (i) => digests[i])]).toEqual(reference(keys, digests));
  }), { numRuns: 500 });
});
