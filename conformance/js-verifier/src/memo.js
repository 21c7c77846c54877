// Memoisation of pure verifications, enabled by the kit runner only: its 53 cases are
// copies of one base record with a few edits, so most proofs recur with identical
// inputs. A cached result (value or error) is exactly what recomputation would give.
let cache = null;

export function enableMemo() {
  cache = new Map();
}

/** fn() once per key while memoisation is on; errors are cached and rethrown. */
export function memo(key, fn) {
  if (cache === null) return fn();
  let hit = cache.get(key);
  if (!hit) {
    try {
      hit = { v: fn() };
    } catch (e) {
      hit = { e };
    }
    cache.set(key, hit);
  }
  if (hit.e) throw hit.e;
  return hit.v;
}
