/**
 * Pod start timings fitted from a run's pods (twin-pod-lifecycles.ts: a recording of a live
 * cluster, or a simulated run), as the scenario parameters that draw them:
 *  - bound → running (image pull and container start) → `podStartMedian` and `podStartSigma`, the
 *    kubelet's log-normal: the maximum-likelihood fit, median = exp(mean ln t), sigma = the
 *    standard deviation of ln t;
 *  - running → Ready → `readinessDelay` (the median over every pod), and per top owner a
 *    `containerBehavior` rule whose `readyAfter` is the uniform range's maximum-likelihood fit
 *    [min, max] of its pods, matching the owner's namespace and the labels all its pods share
 *    (the labels controllers add per pod or revision left out).
 * Only pods whose binding and start (or start and Ready) the run observed count: a recording's
 * first list holds pods that started before it.
 */
import { stringify } from "yaml";
import { formatDurationMs, type Ms } from "../model/units.ts";
import type { TwinPod } from "./twin-pod-lifecycles.ts";
import type { JsonObject } from "./plain-json.ts";

export interface OwnerReadiness {
  /** `Deployment/default/web` */
  owner: string;
  namespace: string;
  selector: Record<string, string>;
  readyAfterMs: { min: Ms; max: Ms };
  pods: number;
}

export interface Calibration {
  /** Pods whose bound → running was observed. */
  startSamples: number;
  podStartMedianMs: Ms | undefined;
  podStartSigma: number | undefined;
  /** Pods whose running → Ready was observed. */
  readySamples: number;
  readinessDelayMs: Ms | undefined;
  owners: OwnerReadiness[];
}

/** Labels controllers set per pod or per revision: a rule matching them would miss the owner's next pods. */
const perPodLabels = new Set(["pod-template-hash", "controller-revision-hash", "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index", "controller-uid", "job-name", "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name", "batch.kubernetes.io/job-completion-index"]);

export function calibrate(pods: ReadonlyMap<string, readonly TwinPod[]>): Calibration {
  const starts: number[] = [];
  const readies: number[] = [];
  const owners: OwnerReadiness[] = [];
  for (const owner of [...pods.keys()].sort()) {
    const list = pods.get(owner) ?? [];
    for (const p of list) if (p.boundMs !== undefined && p.startMs !== undefined) starts.push(p.startMs - p.boundMs);
    const ready = list.flatMap((p) => (p.startMs !== undefined && p.readyMs !== undefined && p.readyMs >= p.startMs ? [p.readyMs - p.startMs] : []));
    readies.push(...ready);
    if (ready.length === 0) continue;
    const namespace = owner.split("/")[1] ?? "";
    owners.push({ owner, namespace, selector: sharedLabels(list), readyAfterMs: { min: Math.min(...ready), max: Math.max(...ready) }, pods: ready.length });
  }
  const fit = logNormalFit(starts);
  return {
    startSamples: starts.length,
    podStartMedianMs: fit?.medianMs,
    podStartSigma: fit?.sigma,
    readySamples: readies.length,
    readinessDelayMs: medianOf(readies),
    owners,
  };
}

/** Maximum-likelihood log-normal: a time of 0 ms counts as 1 ms (the log needs a positive time). */
function logNormalFit(samples: readonly number[]): { medianMs: Ms; sigma: number } | undefined {
  if (samples.length === 0) return undefined;
  const logs = samples.map((t) => Math.log(Math.max(1, t)));
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const variance = logs.reduce((a, l) => a + (l - mean) ** 2, 0) / logs.length;
  return { medianMs: Math.round(Math.exp(mean)), sigma: Math.round(Math.sqrt(variance) * 1000) / 1000 };
}

/** The lower middle value (a time that was observed). */
function medianOf(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function sharedLabels(pods: readonly TwinPod[]): Record<string, string> {
  const [first, ...rest] = pods;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first?.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (perPodLabels.has(k)) continue;
    if (rest.every((p) => p.labels?.[k] === v)) out[k] = v;
  }
  return out;
}

/** The fit as a scenario fragment: `spec.parameters` and `spec.containerBehavior`, with a header saying where it came from. */
export function calibrationText(c: Calibration, origin: string): string {
  const parameters: JsonObject = {};
  if (c.podStartMedianMs !== undefined) parameters.podStartMedian = formatDurationMs(c.podStartMedianMs);
  if (c.podStartSigma !== undefined) parameters.podStartSigma = c.podStartSigma;
  if (c.readinessDelayMs !== undefined) parameters.readinessDelay = formatDurationMs(c.readinessDelayMs);
  const rules = c.owners.map((o) => ({
    name: `${o.owner.replace(/^([^/]+)\//, "$1 ")} (${o.pods} pod${o.pods === 1 ? "" : "s"} observed)`,
    match: { namespace: o.namespace, ...(Object.keys(o.selector).length > 0 ? { selector: o.selector } : {}) },
    readyAfter: { min: formatDurationMs(o.readyAfterMs.min), max: formatDurationMs(o.readyAfterMs.max) },
  }));
  const spec: JsonObject = {};
  if (Object.keys(parameters).length > 0) spec.parameters = parameters;
  if (rules.length > 0) spec.containerBehavior = rules;
  const header = [
    `Fitted by kubetwin calibrate from ${origin}:`,
    `  bound → running of ${c.startSamples} pod${c.startSamples === 1 ? "" : "s"} → podStartMedian, podStartSigma (log-normal, maximum likelihood)`,
    `  running → Ready of ${c.readySamples} pod${c.readySamples === 1 ? "" : "s"} → readinessDelay (median) and one readyAfter range per owner ([min, max] observed)`,
    "Merge spec.parameters and spec.containerBehavior into a scenario (rules first: the first matching rule wins).",
  ];
  return `${header.map((l) => `# ${l}`).join("\n")}\n${stringify({ spec }, { lineWidth: 0 })}`;
}
