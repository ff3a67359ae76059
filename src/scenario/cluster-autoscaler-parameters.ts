/**
 * `parameters.clusterAutoscaler` (upstream's flags, camelCase, durations without their `Ms`) →
 * the plan's partial ClusterAutoscalerOptions, and the checks the schema cannot make: expander
 * names (a comma-separated chain as --expander takes it), priority keys and their expressions.
 */
import { Result } from "effect";
import { expanderNames, type ClusterAutoscalerOptions, type ExpanderName } from "../policies/autoscaling/cluster-autoscaler/options.ts";
import { durationMsOf } from "./formats.ts";
import type { ParametersDoc } from "./scenario-schema.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

type Doc = NonNullable<ParametersDoc["clusterAutoscaler"]>;

const durations = {
  scanInterval: "scanIntervalMs",
  scaleDownUnneededTime: "scaleDownUnneededTimeMs",
  scaleDownDelayAfterAdd: "scaleDownDelayAfterAddMs",
  scaleDownDelayAfterDelete: "scaleDownDelayAfterDeleteMs",
  scaleDownDelayAfterFailure: "scaleDownDelayAfterFailureMs",
  maxNodeProvisionTime: "maxNodeProvisionTimeMs",
  maxPodEvictionTime: "maxPodEvictionTimeMs",
  unremovableNodeRecheckTimeout: "unremovableNodeRecheckTimeoutMs",
} as const satisfies Partial<Record<keyof Doc, keyof ClusterAutoscalerOptions>>;

const plain = [
  "scaleDownEnabled", "scaleDownUtilizationThreshold", "maxGracefulTerminationSec", "maxNodesTotal", "maxEmptyBulkDelete",
  "skipNodesWithLocalStorage", "skipNodesWithSystemPods",
] as const satisfies readonly (keyof Doc & keyof ClusterAutoscalerOptions)[];

export function expandersOf(text: string): ExpanderName[] {
  return text.split(",").map((s) => s.trim()) as ExpanderName[];
}

export function clusterAutoscalerOf(doc: Doc): Partial<ClusterAutoscalerOptions> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(durations)) {
    const value = doc[key as keyof typeof durations];
    if (value !== undefined) out[field] = durationMsOf(value) ?? 0;
  }
  for (const key of plain) if (doc[key] !== undefined) out[key] = doc[key];
  if (doc.expander !== undefined) out.expanders = expandersOf(doc.expander);
  if (doc.priorities !== undefined) out.priorities = structuredClone(doc.priorities);
  return out as Partial<ClusterAutoscalerOptions>;
}

/** `site` is the parameters' site. */
export function checkClusterAutoscalerParameters(doc: ParametersDoc | undefined, site: Site): Checked<void> {
  const ca = doc?.clusterAutoscaler;
  if (ca === undefined) return Result.succeed(undefined);
  const caSite = siteAt(site, "clusterAutoscaler");
  if (ca.expander !== undefined) {
    for (const name of expandersOf(ca.expander)) {
      if (!(expanderNames as readonly string[]).includes(name)) {
        return Result.fail(problemAt(siteAt(caSite, "expander"), `unknown expander "${name}"; expected one of: ${expanderNames.join(", ")} (or a comma-separated chain of them)`));
      }
    }
  }
  for (const [priority, patterns] of Object.entries(ca.priorities ?? {})) {
    if (!/^-?\d+$/.test(priority)) return Result.fail(problemAt(siteAt(caSite, "priorities", priority), `expected an integer priority, got "${priority}"`, "key"));
    for (const [i, pattern] of patterns.entries()) {
      try {
        new RegExp(pattern);
      } catch {
        return Result.fail(problemAt(siteAt(caSite, "priorities", priority, i), `not a valid regular expression: "${pattern}"`));
      }
    }
  }
  return Result.succeed(undefined);
}
