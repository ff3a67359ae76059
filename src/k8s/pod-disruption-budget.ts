/**
 * policy/v1 PodDisruptionBudget ↔ the model's PodDisruptionBudget. At most one of minAvailable and
 * maxUnavailable, each a count or a percentage up to 100% (upstream ValidatePodDisruptionBudgetSpec).
 * Absent status counts are zero (the disruption controller computes them once the pods exist);
 * disruptedPods maps pod names to the time their eviction was admitted.
 */
import { Schema, SchemaGetter } from "effect";
import type { PodDisruptionBudget } from "../model/scheduling-objects.ts";
import { modelOf } from "./codec.ts";
import { CountOrZero, IntOrPercentUpTo100, opt, orDefault, Integer } from "./fields.ts";
import { LabelSelector } from "./label-selector.ts";
import { asMutable } from "./mutable.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { issueAt } from "./problem.ts";
import { Timestamp } from "./time.ts";

const PdbSpecWire = Schema.Struct({
  selector: opt(LabelSelector),
  minAvailable: opt(IntOrPercentUpTo100),
  maxUnavailable: opt(IntOrPercentUpTo100),
  unhealthyPodEvictionPolicy: opt(Schema.Literals(["IfHealthyBudget", "AlwaysAllow"])),
}).check(
  Schema.makeFilter((spec) =>
    spec.minAvailable === undefined || spec.maxUnavailable === undefined || issueAt(["maxUnavailable"], 'expected only one of "minAvailable" and "maxUnavailable", both are set'),
  ),
);

const PdbStatusWire = Schema.Struct({
  disruptionsAllowed: CountOrZero,
  currentHealthy: CountOrZero,
  desiredHealthy: CountOrZero,
  expectedPods: CountOrZero,
  disruptedPods: opt(Schema.Record(Schema.String, Timestamp)),
  observedGeneration: opt(Integer),
});

const PdbWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("policy/v1")),
  kind: opt(Schema.Literal("PodDisruptionBudget")),
  metadata: NamespacedMeta,
  spec: PdbSpecWire,
  status: orDefault(PdbStatusWire, {}),
});

type PdbWire = typeof PdbWire.Type;

export const PodDisruptionBudgetCodec = PdbWire.pipe(
  Schema.decodeTo(modelOf<PodDisruptionBudget>("a PodDisruptionBudget", "PodDisruptionBudget"), {
    decode: SchemaGetter.transform((w: PdbWire): PodDisruptionBudget => ({ kind: "PodDisruptionBudget", metadata: w.metadata, spec: asMutable(w.spec), status: asMutable(w.status) })),
    encode: SchemaGetter.transform((pdb: PodDisruptionBudget): PdbWire => ({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: pdb.metadata, spec: pdb.spec, status: pdb.status })),
  }),
);
