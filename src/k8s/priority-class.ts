/**
 * scheduling.k8s.io/v1 PriorityClass ↔ the model's PriorityClass, with the API server's defaults
 * (globalDefault false, preemptionPolicy PreemptLowerPriority) and its validation: user classes go
 * up to one billion; higher values and the "system-" prefix belong to the two built-in system
 * classes, which may be restated (as `kubectl get priorityclass -o yaml` prints them) only with
 * their own values. Cluster-scoped.
 */
import { Schema, SchemaGetter } from "effect";
import type { PriorityClass } from "../model/scheduling-objects.ts";
import { modelOf } from "./codec.ts";
import { opt, Integer } from "./fields.ts";
import { ClusterMeta } from "./object-meta.ts";
import { issueAt } from "./problem.ts";

/** Upstream HighestUserDefinablePriority. */
export const userPriorityMax = 1_000_000_000;
const int32Min = -2_147_483_648;

/** The classes the API server creates itself; pods may name them without a scenario defining them. */
export const systemPriorityClasses: ReadonlyMap<string, number> = new Map([
  ["system-cluster-critical", 2_000_000_000],
  ["system-node-critical", 2_000_001_000],
]);

const PreemptionPolicy = Schema.Literals(["PreemptLowerPriority", "Never"]);

const PriorityClassWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("scheduling.k8s.io/v1")),
  kind: opt(Schema.Literal("PriorityClass")),
  metadata: ClusterMeta,
  value: Integer,
  globalDefault: opt(Schema.Boolean),
  preemptionPolicy: opt(PreemptionPolicy),
  description: opt(Schema.String),
}).check(
  Schema.makeFilter((pc) => {
    const name = pc.metadata.name;
    const system = systemPriorityClasses.get(name);
    if (system !== undefined) return pc.value === system || issueAt(["value"], `expected ${system}, the value of the built-in class ${name}`, { showFound: true });
    if (name.startsWith("system-")) return issueAt(["metadata", "name"], 'names starting with "system-" are reserved for the built-in priority classes', { showFound: true });
    const inRange = pc.value >= int32Min && pc.value <= userPriorityMax;
    return inRange || issueAt(["value"], `expected an integer from ${int32Min} to ${userPriorityMax} (higher values are reserved for system classes)`, { showFound: true });
  }),
);

type PriorityClassWire = typeof PriorityClassWire.Type;

function priorityClassOf(w: PriorityClassWire): PriorityClass {
  const pc: PriorityClass = {
    kind: "PriorityClass",
    metadata: w.metadata,
    value: w.value,
    globalDefault: w.globalDefault ?? false,
    preemptionPolicy: w.preemptionPolicy ?? "PreemptLowerPriority",
  };
  if (w.description !== undefined) pc.description = w.description;
  return pc;
}

export const PriorityClassCodec = PriorityClassWire.pipe(
  Schema.decodeTo(modelOf<PriorityClass>("a PriorityClass", "PriorityClass"), {
    decode: SchemaGetter.transform(priorityClassOf),
    encode: SchemaGetter.transform(({ kind: _, ...pc }: PriorityClass): PriorityClassWire => ({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", ...pc })),
  }),
);
