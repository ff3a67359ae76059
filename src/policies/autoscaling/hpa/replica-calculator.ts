/**
 * The replica calculator, as upstream pkg/controller/podautoscaler/replica_calculator.go and
 * metrics/utilization.go: one function per metric source and target type. Integer arithmetic
 * where Go uses integers (utilization percent and averages truncate), floats where it uses them
 * (usage ratios), Math.ceil where it ceils. Errors are values with upstream's wording.
 */
import { isWithin, type Tolerances } from "./defaults.ts";
import { groupPods, type HpaPod, type PodMetric, type ReadinessTiming } from "./pod-groups.ts";

export type CalcResult =
  | { ok: true; replicas: number; /** percent for utilization, milli-units otherwise */ usage: number; rawAverageMilli?: number }
  | { ok: false; error: string };

const int32Max = 2 ** 31 - 1;

function fail(error: string): CalcResult {
  return { ok: false, error };
}

/** A request in milli-units, as Quantity.MilliValue(): cpu is already millicores, the rest base units. */
function milliOf(resource: string, amount: number): number {
  return resource === "cpu" ? amount : amount * 1000;
}

/** calculatePodRequestsFromContainers: the pod's (or one container's) request; a container without one is an error. */
export function podRequestMilli(pod: HpaPod, resource: string, container: string): { ok: true; milli: number } | { ok: false; error: string } {
  let milli = 0;
  for (const c of pod.containers) {
    if (container !== "" && c.name !== container) continue;
    const request = c.requests[resource];
    if (request === undefined) return { ok: false, error: `missing request for ${resource} in container ${c.name} of Pod ${pod.name}` };
    milli += milliOf(resource, request);
    if (container === c.name) return { ok: true, milli };
  }
  if (container !== "") return { ok: false, error: `container ${container} not found in Pod ${pod.name}` };
  return { ok: true, milli };
}

/** metrics.GetResourceUtilizationRatio: ratio of summed usage to summed requests over pods that have both. */
function utilizationRatio(metrics: ReadonlyMap<string, number>, requests: ReadonlyMap<string, number>, targetUtilization: number) {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, value] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue; // a metric for a pod not in the list: extraneous
    metricsTotal += value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) return undefined;
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverageMilli: Math.trunc(metricsTotal / entries) };
}

/** metrics.GetMetricUtilizationRatio: the truncated average over the samples. */
function usageRatio(metrics: ReadonlyMap<string, number>, targetMilli: number): { ratio: number; usage: number } {
  let total = 0;
  for (const value of metrics.values()) total += value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / targetMilli, usage };
}

function valuesOf(metrics: ReadonlyMap<string, PodMetric>, drop: ReadonlySet<string>, drop2: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, m] of metrics) if (!drop.has(name) && !drop2.has(name)) out.set(name, m.valueMilli);
  return out;
}

/** Keep current when the guessed-in ratio is within tolerance, flips side, or the new count moves against it. */
function adjusted(current: number, ratio: number, newRatio: number, count: number, t: Tolerances): number {
  if (isWithin(t, newRatio) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) return current;
  const replicas = Math.ceil(newRatio * count);
  if ((newRatio < 1.0 && replicas > current) || (newRatio > 1.0 && replicas < current)) return current;
  return replicas;
}

export interface ResourceInput {
  currentReplicas: number;
  resource: string;
  /** "" for the whole pod (Resource), a name for ContainerResource. */
  container: string;
  pods: readonly HpaPod[];
  metrics: ReadonlyMap<string, PodMetric>;
  tolerances: Tolerances;
  timing: ReadinessTiming;
}

/** GetResourceReplicas: target type Utilization. */
export function resourceReplicas(input: ResourceInput, targetUtilization: number): CalcResult {
  const { pods, metrics, tolerances: t, currentReplicas: current } = input;
  if (metrics.size === 0) return fail(`unable to get metrics for resource ${input.resource}: no metrics returned from resource metrics API`);
  if (pods.length === 0) return fail("no pods returned by selector while calculating replica count");
  const groups = groupPods(pods, metrics, input.resource, input.timing);
  const values = valuesOf(metrics, groups.ignored, groups.unready);
  if (values.size === 0) return fail("did not receive metrics for targeted pods (pods might be unready)");
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const r = podRequestMilli(pod, input.resource, input.container);
    if (!r.ok) return fail(r.error);
    requests.set(pod.name, r.milli);
  }
  const first = utilizationRatio(values, requests, targetUtilization);
  if (first === undefined) return fail("no metrics returned matched known pods");
  const { ratio, utilization, rawAverageMilli } = first;
  const done = (replicas: number): CalcResult => ({ ok: true, replicas, usage: utilization, rawAverageMilli });
  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    return done(isWithin(t, ratio) ? current : Math.ceil(ratio * groups.readyPodCount));
  }
  if (groups.missing.size > 0) {
    // Scale-down: a missing pod uses all of its request (or the target, above 100 %); scale-up: nothing.
    const fallback = Math.max(100, targetUtilization);
    for (const name of groups.missing) {
      if (ratio < 1.0) values.set(name, Math.trunc(((requests.get(name) ?? 0) * fallback) / 100));
      else if (ratio > 1.0) values.set(name, 0);
    }
  }
  if (scaleUpWithUnready) for (const name of groups.unready) values.set(name, 0);
  const second = utilizationRatio(values, requests, targetUtilization);
  if (second === undefined) return fail("no metrics returned matched known pods");
  return done(adjusted(current, ratio, second.ratio, values.size, t));
}

/** calcPlainMetricReplicas: Resource AverageValue (GetRawResourceReplicas) and Pods metrics (GetMetricReplicas). */
export function plainMetricReplicas(input: Omit<ResourceInput, "container">, targetMilli: number): CalcResult {
  const { pods, metrics, tolerances: t, currentReplicas: current } = input;
  if (pods.length === 0) return fail("no pods returned by selector while calculating replica count");
  const groups = groupPods(pods, metrics, input.resource, input.timing);
  const values = valuesOf(metrics, groups.ignored, groups.unready);
  if (values.size === 0) return fail("did not receive metrics for targeted pods (pods might be unready)");
  const { ratio, usage } = usageRatio(values, targetMilli);
  const done = (replicas: number): CalcResult => ({ ok: true, replicas, usage });
  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    return done(isWithin(t, ratio) ? current : Math.ceil(ratio * groups.readyPodCount));
  }
  for (const name of groups.missing) {
    if (ratio < 1.0) values.set(name, targetMilli);
    else if (ratio > 1.0) values.set(name, 0);
  }
  if (scaleUpWithUnready) for (const name of groups.unready) values.set(name, 0);
  return done(adjusted(current, ratio, usageRatio(values, targetMilli).ratio, values.size, t));
}

/** getUsageRatioReplicaCount: Object and External Value targets; from zero replicas the ratio alone decides. */
function usageRatioReplicaCount(current: number, ratio: number, readyPods: number, t: Tolerances): number {
  if (current === 0) return Math.ceil(ratio);
  if (isWithin(t, ratio)) return current;
  const replicas = ratio * readyPods;
  return replicas > int32Max ? int32Max : Math.ceil(replicas);
}

/** getReadyPodsCount: Running pods with Ready=True. */
export function readyPodsCount(pods: readonly HpaPod[]): number {
  let n = 0;
  for (const pod of pods) if (pod.phase === "Running" && pod.readyCondition?.ready === true) n++;
  return n;
}

export interface ValueInput {
  currentReplicas: number;
  pods: readonly HpaPod[];
  tolerances: Tolerances;
}

/** GetObjectMetricReplicas / GetExternalMetricReplicas: the value (an external metric's series summed) against the target. */
export function valueReplicas(input: ValueInput, valueMilli: number, targetMilli: number): CalcResult {
  if (input.currentReplicas !== 0 && input.pods.length === 0) return fail("unable to calculate ready pods: no pods returned by selector while calculating replica count");
  const ratio = valueMilli / targetMilli;
  return { ok: true, replicas: usageRatioReplicaCount(input.currentReplicas, ratio, readyPodsCount(input.pods), input.tolerances), usage: valueMilli };
}

/** GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas: AverageValue against status replicas. */
export function perPodValueReplicas(statusReplicas: number, valueMilli: number, targetPerPodMilli: number, t: Tolerances): CalcResult {
  let replicas = statusReplicas;
  const ratio = valueMilli / (targetPerPodMilli * statusReplicas);
  if (!isWithin(t, ratio)) {
    const r = Math.ceil(valueMilli / targetPerPodMilli);
    replicas = r > int32Max ? int32Max : r;
  }
  return { ok: true, replicas, usage: Math.ceil(valueMilli / statusReplicas) };
}
