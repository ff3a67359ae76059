/**
 * Least-request balancing as Envoy's LEAST_REQUEST load balancer does it with equal weights
 * (envoy/source/common/upstream/load_balancer_impl.cc, choice_count 2: each request goes to the
 * one with fewer active requests of two endpoints drawn at random). Over a 5 s slice its aggregate
 * is join-the-shortest-queue, modelled as a fluid water-filling: the slice's requests fill the
 * endpoints with the fewest queued requests first up to a common level, so a pod with a backlog
 * gets less until the others catch up; with no backlog anywhere the split is even. It draws
 * nothing: deterministic, and the load's stream is left as round-robin leaves it.
 */

/** `requests` over endpoints with these queued requests: shares summing to `requests`. */
export function leastRequestShares(requests: number, queued: readonly number[]): number[] {
  const n = queued.length;
  if (n === 0) return [];
  const order = queued.map((q, i) => ({ q, i })).sort((a, b) => a.q - b.q || a.i - b.i);
  // The level L with Σ max(0, L − q_i) = requests: the k lowest queues are filled, the rest not reached.
  let sum = 0;
  let level = 0;
  for (let k = 1; k <= n; k++) {
    sum += (order[k - 1] as { q: number }).q;
    level = (requests + sum) / k;
    const next = order[k]?.q;
    if (next === undefined || level <= next) break;
  }
  return queued.map((q) => Math.max(0, level - q));
}
