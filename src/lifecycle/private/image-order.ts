// The one sort of a lifecycle policy preview: images newest first by push time, equal push times by
// digest ascending (the smaller digest counts as the newer; ECR documents no tie-break, this one is
// deterministic and independent of input order).
// Push times are whole milliseconds, so a stable LSD radix sort (16 bits a pass) orders them in
// linear time; runs of equal times are then ordered by digest. Key ranges wider than 2^48 ms
// (about 8,900 years) fall back to a comparison sort.

const RADIX_BITS = 16;
const RADIX = 2 ** RADIX_BITS;
const MAX_RADIX_RANGE = 2 ** 48;

/**
 * The indexes of `keys` (push times in milliseconds), latest first; equal keys by `digestOf` ascending.
 */
export function newestFirst(keys: Float64Array, digestOf: (index: number) => string): Uint32Array {
  const n = keys.length;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < 2) {
    return order;
  }
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    if (keys[i] > max) max = keys[i];
    if (keys[i] < min) min = keys[i];
  }
  if (max - min >= MAX_RADIX_RANGE) {
    return order.sort((a, b) => keys[b] - keys[a] || compare(digestOf(a), digestOf(b)));
  }
  // Sort ascending by distance from the latest key, i.e. latest first; stable, so ties keep index order.
  let spare = new Uint32Array(n);
  const counts = new Uint32Array(RADIX);
  for (let shift = 1; shift < MAX_RADIX_RANGE; shift *= RADIX) {
    if ((max - min) / shift < 1) {
      break;
    }
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor((max - keys[i]) / shift) % RADIX]++;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const i = order[k];
      spare[counts[Math.floor((max - keys[i]) / shift) % RADIX]++] = i;
    }
    [order, spare] = [spare, order];
  }
  // Equal push times: order each run by digest.
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && keys[order[end]] === keys[order[start]]) end++;
    if (end - start > 1) {
      order.subarray(start, end).sort((a, b) => compare(digestOf(a), digestOf(b)));
    }
    start = end;
  }
  return order;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
