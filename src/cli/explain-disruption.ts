/**
 * `kubetwin explain pdb` and `kubetwin explain eviction`: the disruption controller's status for
 * one PodDisruptionBudget, and the Eviction API's answer for one pod, computed by the very
 * functions the simulator runs (policies/controllers/disruption.ts, policies/admission/eviction.ts).
 * Objects are v1 JSON decoded with the one codec; bad input names the object and field (exit 2).
 */
import { Result, Schema } from "effect";
import { decodeObject } from "../k8s/decode.ts";
import { PodDisruptionBudgetCodec } from "../k8s/pod-disruption-budget.ts";
import { PodCodec } from "../k8s/pod.ts";
import { formatTimeMs, Timestamp } from "../k8s/time.ts";
import type { OwnerReference, Pod } from "../model/objects.ts";
import type { PodDisruptionBudget } from "../model/scheduling-objects.ts";
import type { Ms } from "../model/units.ts";
import { evictionAnswer, type EvictionAnswer } from "../policies/admission/eviction.ts";
import { pdbStatus, type PdbStatus, type ScaleOf } from "../policies/controllers/disruption.ts";
import { formatPath } from "../scenario/error.ts";
import { decodeAs, ExplainInputError } from "./explain-schedule.ts";

const PdbInput = Schema.Struct({
  pdb: Schema.Unknown,
  pods: Schema.optionalKey(Schema.Array(Schema.Unknown)),
  owners: Schema.optionalKey(Schema.Array(Schema.Unknown)),
  now: Schema.optionalKey(Timestamp),
});

const EvictionInput = Schema.Struct({
  pod: Schema.Unknown,
  pdbs: Schema.optionalKey(Schema.Array(Schema.Unknown)),
  now: Schema.optionalKey(Timestamp),
});

/** An owner: any object with a scale (Deployment, ReplicaSet, StatefulSet, ReplicationController, a custom resource). */
const Owner = Schema.Struct({
  kind: Schema.NonEmptyString,
  metadata: Schema.Struct({ name: Schema.NonEmptyString, namespace: Schema.optionalKey(Schema.String), uid: Schema.optionalKey(Schema.String) }),
  spec: Schema.Struct({ replicas: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)) }),
});

function decodeInput<S extends Schema.Top & { readonly DecodingServices: never; readonly EncodingServices: never }>(schema: S, raw: unknown): S["Type"] {
  const decoded = decodeObject(schema, raw);
  if (Result.isFailure(decoded)) throw new ExplainInputError("input", formatPath(decoded.failure.path), decoded.failure.message);
  return decoded.success;
}

function scaleOfOwners(raws: readonly unknown[]): ScaleOf {
  const owners = raws.map((raw, i) => decodeAs(Owner, raw, `owners[${i}]`));
  return (namespace: string, ref: OwnerReference) => {
    const o = owners.find((x) => x.kind === ref.kind && x.metadata.name === ref.name && (x.metadata.namespace ?? "default") === namespace);
    return o === undefined ? undefined : { uid: o.metadata.uid ?? `${o.kind}/${namespace}/${o.metadata.name}`, replicas: o.spec.replicas };
  };
}

export interface PdbExplanation {
  status: PdbStatus;
  explanation: string[];
}

export function explainPdb(raw: unknown, wallNowMs: Ms): PdbExplanation {
  const input = decodeInput(PdbInput, raw);
  const pdb = decodeAs(PodDisruptionBudgetCodec, input.pdb, "pdb") as PodDisruptionBudget;
  const pods = (input.pods ?? []).map((p, i) => decodeAs(PodCodec, p, `pods[${i}]`) as Pod);
  const nowMs = input.now ?? wallNowMs;
  const status = pdbStatus(pdb, pods, scaleOfOwners(input.owners ?? []), nowMs);
  return { status, explanation: pdbExplanation(pdb, status) };
}

function pdbExplanation(pdb: PodDisruptionBudget, s: PdbStatus): string[] {
  const min = pdb.spec.minAvailable;
  const rule = typeof min === "number"
    ? `minAvailable ${min}: desiredHealthy ${min}; expectedPods = the ${s.expectedPods} matching pod(s)`
    : min !== undefined
      ? `minAvailable ${min} of the owners' scale ${s.expectedPods}, rounded up: desiredHealthy ${s.desiredHealthy}`
      : `maxUnavailable ${pdb.spec.maxUnavailable ?? 0} of the owners' scale ${s.expectedPods}, rounded up: desiredHealthy ${s.desiredHealthy}`;
  const lines = [rule, `currentHealthy ${s.currentHealthy}: matching pods Ready, not terminating, not evicted in the last 2 minutes`];
  if (s.expectedPods <= 0) lines.push("no pods expected (no matching pod, or none with an owner that has a scale): disruptionsAllowed 0");
  else lines.push(`disruptionsAllowed = max(0, ${s.currentHealthy} − ${s.desiredHealthy}) = ${s.disruptionsAllowed}`);
  return lines;
}

export function explainEviction(raw: unknown, wallNowMs: Ms): EvictionAnswer & { disruptionsAllowedAfter?: number } {
  const input = decodeInput(EvictionInput, raw);
  const pod = decodeAs(PodCodec, input.pod, "pod") as Pod;
  const pdbs = (input.pdbs ?? []).map((p, i) => decodeAs(PodDisruptionBudgetCodec, p, `pdbs[${i}]`) as PodDisruptionBudget);
  const answer = evictionAnswer(pod, pdbs, input.now ?? wallNowMs);
  const { pdbStatusAfter, ...rest } = answer;
  return { ...rest, ...(pdbStatusAfter ? { disruptionsAllowedAfter: pdbStatusAfter.disruptionsAllowed } : {}) };
}

export function formatPdbExplanation(e: PdbExplanation): string {
  const s = e.status;
  const lines = [`disruptionsAllowed ${s.disruptionsAllowed} · currentHealthy ${s.currentHealthy} · desiredHealthy ${s.desiredHealthy} · expectedPods ${s.expectedPods}`];
  for (const l of e.explanation) lines.push(`  ${l}`);
  for (const [name, atMs] of Object.entries(s.disruptedPods ?? {})) lines.push(`  disrupted: ${name} (eviction admitted ${formatTimeMs(atMs)})`);
  return lines.join("\n");
}

export function formatEviction(a: ReturnType<typeof explainEviction>): string {
  const head = a.allowed ? `201 evicted${a.pdbChecked ? ` (budget ${a.pdb} used: ${a.disruptionsAllowedAfter} disruption(s) left)` : a.pdb ? ` (budget ${a.pdb} not used: the pod is not Ready)` : " (no budget checked)"}` : `${a.httpStatus} ${a.message}`;
  return head;
}
