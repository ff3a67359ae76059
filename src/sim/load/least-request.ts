/**
 * Least-request balancing as Envoy's LEAST_REQUEST load balancer does it with equal weights
 * (envoy/source/common/upstream/load_balancer_impl.cc, choice_count 2: each request goes to the
 * one with fewer active requests of two endpoints drawn at random). Over a 5 s slice its aggregate
 * is join-the-shortest-queue, modelled as a fluid water-filling on what each endpoint would hold at
 * the end of the slice: its queue now less what it completes in the slice (negative: room to
 * spare). The slice's requests fill the lowest first up to a common level, so a pod with a backlog
 * gets nothing until the others would queue as much, and identical pods with no backlog split
 * evenly. It draws nothing: deterministic, and the load's stream is left as round-robin leaves it.
 */

/**
 * `requests` over endpoints with these queued requests and these slice capacities (requests each
 * completes in the slice; Infinity when unbounded): shares summing to `requests`.
 */
export function leastRequestShares(requests: number, queued: readonly number[], sliceCapacity: readonly number[]): number[] {
  const n = queued.length;
  if (n === 0) return [];
  const levels = queued.map((q, i) => q - (sliceCapacity[i] ?? 0));
  // Unbounded endpoints never queue: they share everything evenly.
  const unbounded = levels.filter((l) => l === Number.NEGATIVE_INFINITY).length;
  if (unbounded > 0) return levels.map((l) => (l === Number.NEGATIVE_INFINITY ? requests / unbounded : 0));
  const order = [...levels].sort((a, b) => a - b);
  // The level L with Σ max(0, L − level_i) = requests: the k lowest are filled, the rest not reached.
  let sum = 0;
  let level = 0;
  for (let k = 1; k <= n; k++) {
    sum += order[k - 1] as number;
    level = (requests + sum) / k;
    const next = order[k];
    if (next === undefined || level <= next) break;
  }
  return levels.map((l) => Math.max(0, level - l));
}
