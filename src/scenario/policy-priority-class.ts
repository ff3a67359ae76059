/**
 * PriorityClass (scheduling.k8s.io/v1) → the model's PriorityClass, with the API server's
 * defaults (globalDefault false, preemptionPolicy PreemptLowerPriority) and its validation: user
 * classes go up to one billion; higher values and the "system-" prefix belong to the two built-in
 * system classes, which a scenario may restate (as `kubectl get priorityclass -o yaml` prints
 * them) only with their own values.
 */
import { Result } from "effect";
import type { PriorityClass } from "../model/scheduling-objects.ts";
import { policyMetaOf } from "./policy-meta.ts";
import type { PriorityClassDoc } from "./policy-schema.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

/** Upstream HighestUserDefinablePriority. */
export const userPriorityMax = 1_000_000_000;
const int32Min = -2_147_483_648;

/** The classes the API server creates itself; pods may name them without a scenario defining them. */
export const systemPriorityClasses: ReadonlyMap<string, number> = new Map([
  ["system-cluster-critical", 2_000_000_000],
  ["system-node-critical", 2_000_001_000],
]);

export function priorityClassOf(doc: PriorityClassDoc, site: Site): Checked<PriorityClass> {
  const name = doc.metadata.name;
  const system = systemPriorityClasses.get(name);
  if (system !== undefined && doc.value !== system) {
    return Result.fail(problemAt(siteAt(site, "value"), `expected ${system}, the value of the built-in class ${name}, got ${doc.value}`));
  }
  if (system === undefined && name.startsWith("system-")) {
    return Result.fail(problemAt(siteAt(site, "metadata", "name"), `names starting with "system-" are reserved for the built-in priority classes, got "${name}"`));
  }
  if (system === undefined && (doc.value > userPriorityMax || doc.value < int32Min)) {
    return Result.fail(problemAt(siteAt(site, "value"), `expected an integer from ${int32Min} to ${userPriorityMax} (higher values are reserved for system classes), got ${doc.value}`));
  }
  const pc: PriorityClass = {
    kind: "PriorityClass",
    metadata: policyMetaOf(doc.metadata, ""),
    value: doc.value,
    globalDefault: doc.globalDefault ?? false,
    preemptionPolicy: doc.preemptionPolicy ?? "PreemptLowerPriority",
  };
  if (doc.description !== undefined) pc.description = doc.description;
  return Result.succeed(pc);
}
