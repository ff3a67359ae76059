/**
 * One metric spec → a replica proposal or an error, as upstream horizontal.go
 * computeReplicasForMetric and its computeStatusFor*Metric helpers: which calculator, which
 * replica count it is given (spec replicas, or status replicas for per-pod Object/External
 * targets), the metric's name in messages, the failure reason and upstream's error wording.
 */
import type { CrossVersionObjectReference, HpaMetricSpec, HpaMetricStatus, HpaMetricTarget } from "../../../model/autoscaling-objects.ts";
import type { LabelSelector } from "../../../model/objects.ts";
import type { HpaOptions, Tolerances } from "./defaults.ts";
import type { HpaPod, PodMetric } from "./pod-groups.ts";
import { perPodValueReplicas, plainMetricReplicas, resourceReplicas, valueReplicas, type CalcResult } from "./replica-calculator.ts";
import type { Ms } from "../../../model/units.ts";

/** Where the metrics come from (metrics.k8s.io, custom.metrics.k8s.io, external.metrics.k8s.io); undefined = none returned. */
export interface MetricsSource {
  /** Pod name → sample of `resource` (a container's, or the pod's containers summed when container is ""). */
  resource(resource: string, container: string): ReadonlyMap<string, PodMetric>;
  pods(metricName: string, selector: LabelSelector | undefined): ReadonlyMap<string, PodMetric> | undefined;
  object(ref: CrossVersionObjectReference, metricName: string): number | undefined;
  external(metricName: string, selector: LabelSelector | undefined): readonly number[] | undefined;
}

export interface ProposalContext {
  /** The HPA's namespace (named in upstream's error messages). */
  namespace: string;
  specReplicas: number;
  statusReplicas: number;
  pods: readonly HpaPod[];
  metrics: MetricsSource;
  tolerances: Tolerances;
  options: HpaOptions;
  nowMs: Ms;
}

export type Proposal =
  | { ok: true; replicas: number; metricName: string; status: HpaMetricStatus }
  | { ok: false; reason: string; error: string; status?: HpaMetricStatus };

function timing(ctx: ProposalContext) {
  return { nowMs: ctx.nowMs, cpuInitializationPeriodMs: ctx.options.cpuInitializationPeriodMs, delayOfInitialReadinessStatusMs: ctx.options.delayOfInitialReadinessStatusMs };
}

function failed(reason: string, error: string): Proposal {
  return { ok: false, reason, error };
}

function resourceProposal(ctx: ProposalContext, name: string, container: string, target: HpaMetricTarget, isContainer: boolean): Proposal {
  const reason = isContainer ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
  const type = isContainer ? "ContainerResource" : "Resource";
  const base = { type, name, ...(isContainer ? { container } : {}) } as const;
  const input = { currentReplicas: ctx.specReplicas, resource: name, container, pods: ctx.pods, metrics: ctx.metrics.resource(name, container), tolerances: ctx.tolerances, timing: timing(ctx) };
  if (target.averageValueMilli !== undefined) {
    if (input.metrics.size === 0) return failed(reason, `failed to get ${name} usage: unable to get metrics for resource ${name}: no metrics returned from resource metrics API`);
    const r = plainMetricReplicas(input, target.averageValueMilli);
    if (!r.ok) return failed(reason, `failed to get ${name} usage: ${r.error}`);
    return { ok: true, replicas: r.replicas, metricName: `${name} resource`, status: { ...base, current: { averageValueMilli: r.usage } } };
  }
  if (target.averageUtilization === undefined) return failed(reason, "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set");
  const r = resourceReplicas(input, target.averageUtilization);
  if (!r.ok) return failed(reason, `failed to get ${name} utilization: ${r.error}`);
  const metricName = isContainer ? `${name} container resource utilization (percentage of request)` : `${name} resource utilization (percentage of request)`;
  return { ok: true, replicas: r.replicas, metricName, status: { ...base, current: { averageUtilization: r.usage, averageValueMilli: r.rawAverageMilli ?? 0 } } };
}

function podsProposal(ctx: ProposalContext, spec: Extract<HpaMetricSpec, { type: "Pods" }>): Proposal {
  const { metric, target } = spec.pods;
  const samples = ctx.metrics.pods(metric.name, metric.selector);
  const wrap = (e: string) => failed("FailedGetPodsMetric", `failed to get pods metric value: ${e}`);
  if (samples === undefined || samples.size === 0) return wrap(`unable to get metric ${metric.name}: no metrics returned from custom metrics API`);
  if (target.averageValueMilli === undefined) return wrap("invalid pods metric source: no average value target was set");
  const r = plainMetricReplicas({ currentReplicas: ctx.specReplicas, resource: "", pods: ctx.pods, metrics: samples, tolerances: ctx.tolerances, timing: timing(ctx) }, target.averageValueMilli);
  if (!r.ok) return wrap(r.error);
  const status: HpaMetricStatus = { type: "Pods", name: metric.name, ...(metric.selector ? { selector: metric.selector } : {}), current: { averageValueMilli: r.usage } };
  return { ok: true, replicas: r.replicas, metricName: `pods metric ${metric.name}`, status };
}

function objectProposal(ctx: ProposalContext, spec: Extract<HpaMetricSpec, { type: "Object" }>): Proposal {
  const { describedObject: ref, metric, target } = spec.object;
  const wrap = (e: string) => failed("FailedGetObjectMetric", `failed to get object metric value: ${e}`);
  const value = ctx.metrics.object(ref, metric.name);
  if (value === undefined) return wrap(`unable to get metric ${metric.name}: no metrics returned from custom metrics API on ${ref.kind} ${ctx.namespace}/${ref.name}`);
  const base = { type: "Object", name: metric.name, describedObject: ref } as const;
  let r: CalcResult;
  let current: HpaMetricStatus["current"];
  if (target.type === "Value" && target.valueMilli !== undefined) {
    r = valueReplicas({ currentReplicas: ctx.specReplicas, pods: ctx.pods, tolerances: ctx.tolerances }, value, target.valueMilli);
    current = r.ok ? { valueMilli: r.usage } : {};
  } else if (target.type === "AverageValue" && target.averageValueMilli !== undefined) {
    r = perPodValueReplicas(ctx.statusReplicas, value, target.averageValueMilli, ctx.tolerances);
    current = r.ok ? { averageValueMilli: r.usage } : {};
  } else {
    return wrap("invalid object metric source: neither a value target nor an average value target was set");
  }
  if (!r.ok) return wrap(r.error);
  return { ok: true, replicas: r.replicas, metricName: `${ref.kind} metric ${metric.name}`, status: { ...base, current } };
}

function externalProposal(ctx: ProposalContext, spec: Extract<HpaMetricSpec, { type: "External" }>): Proposal {
  const { metric, target } = spec.external;
  const series = ctx.metrics.external(metric.name, metric.selector);
  const reason = "FailedGetExternalMetric";
  // Go prints the *LabelSelector with %+v: "nil" when there is none.
  const selectorText = metric.selector === undefined ? "nil" : `&LabelSelector${JSON.stringify(metric.selector)}`;
  const inner = `unable to get external metric ${ctx.namespace}/${metric.name}/${selectorText}: no metrics returned from external metrics API`;
  const base = { type: "External", name: metric.name, ...(metric.selector ? { selector: metric.selector } : {}) } as const;
  const metricName = `external metric ${metric.name}`;
  if (target.type === "AverageValue" && target.averageValueMilli !== undefined) {
    if (series === undefined) return failed(reason, `failed to get ${metric.name} external metric: ${inner}`);
    const r = perPodValueReplicas(ctx.statusReplicas, sum(series), target.averageValueMilli, ctx.tolerances);
    if (!r.ok) return failed(reason, r.error);
    return { ok: true, replicas: r.replicas, metricName, status: { ...base, current: { averageValueMilli: r.usage } } };
  }
  if (target.type === "Value" && target.valueMilli !== undefined) {
    if (series === undefined) return failed(reason, `failed to get external metric ${metric.name}: ${inner}`);
    const r = valueReplicas({ currentReplicas: ctx.specReplicas, pods: ctx.pods, tolerances: ctx.tolerances }, sum(series), target.valueMilli);
    if (!r.ok) return failed(reason, `failed to get external metric ${metric.name}: ${r.error}`);
    return { ok: true, replicas: r.replicas, metricName, status: { ...base, current: { valueMilli: r.usage } } };
  }
  return failed(reason, "invalid external metric source: neither a value target nor an average value target was set");
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

export function proposalFor(ctx: ProposalContext, spec: HpaMetricSpec): Proposal {
  switch (spec.type) {
    case "Resource":
      return resourceProposal(ctx, spec.resource.name, "", spec.resource.target, false);
    case "ContainerResource":
      return resourceProposal(ctx, spec.containerResource.name, spec.containerResource.container, spec.containerResource.target, true);
    case "Pods":
      return podsProposal(ctx, spec);
    case "Object":
      return objectProposal(ctx, spec);
    case "External":
      return externalProposal(ctx, spec);
  }
}
