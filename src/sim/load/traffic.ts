/**
 * Where a Service's traffic goes, as kube-proxy sends it: only to ready endpoints (Running,
 * Ready, not terminating pods its selector matches), shared round-robin — every endpoint gets the
 * same whole number of requests and the remainder goes one each to the next endpoints in turn, so
 * over time no endpoint is favoured. Also the Poisson draw for noisy arrivals.
 */
import { podsMatching } from "../../model/pod-selection.ts";
import type { Pod } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { Service } from "../../model/autoscaling-objects.ts";
import type { ClusterView } from "../../model/view.ts";

/** Pods the Service selects (any phase), by key; a Service without selector selects none. */
export function selectedByService(view: ClusterView, service: Service): Pod[] {
  const selector = service.spec.selector;
  if (selector === undefined || Object.keys(selector).length === 0) return [];
  return podsMatching(view, service.metadata.namespace, { matchLabels: selector });
}

export function isReadyEndpoint(pod: Pod): boolean {
  return pod.status.phase === "Running" && pod.status.ready && pod.metadata.deletionMs === undefined;
}

/** `requests` over `n` endpoints, starting the remainder at `offset` (the round-robin position). */
export function roundRobinShares(requests: number, n: number, offset: number): number[] {
  const each = Math.floor(requests / n);
  const rest = requests - each * n;
  const shares = new Array<number>(n).fill(each);
  // A fractional rest (noise-free rates) is spread evenly; whole requests go one by one in turn.
  if (!Number.isInteger(rest)) return shares.map((s) => s + rest / n);
  for (let i = 0; i < rest; i++) shares[(offset + i) % n] = (shares[(offset + i) % n] as number) + 1;
  return shares;
}

/** Poisson-distributed count with the given mean (Knuth below 30, a rounded normal above). */
export function poisson(prng: Prng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * prng.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = prng.nextFloat();
  while (p > limit) {
    k++;
    p *= prng.nextFloat();
  }
  return k;
}
