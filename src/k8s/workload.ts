/**
 * What the workload kinds share (apps/v1 Deployment, ReplicaSet, DaemonSet; later StatefulSet):
 * a selector the API server insists on — not empty, and selecting the pod template's own labels
 * (upstream ValidateDeploymentSpec / ValidateReplicaSetSpec) — and the replica counts of the status.
 */
import { Schema } from "effect";
import type { PodTemplate } from "../model/objects.ts";
import { selectorMatches } from "../model/labels.ts";
import { Count, CountOrZero, orDefault } from "./fields.ts";
import { isEmptySelector, LabelSelector } from "./label-selector.ts";
import { asMutable } from "./mutable.ts";
import { issueAt } from "./problem.ts";

/** A check on a workload's spec: its selector selects its template. */
export const selectsTemplate = Schema.makeFilter((spec: { readonly selector: typeof LabelSelector.Type; readonly template: PodTemplate }) => {
  if (isEmptySelector(spec.selector)) return issueAt(["selector"], "expected a non-empty selector");
  if (!selectorMatches(asMutable(spec.selector), spec.template.labels)) {
    return issueAt(["selector"], "the selector does not match the template's labels (spec.template.metadata.labels)");
  }
  return true;
});

/** The replica counts of a status; absent ones are zero, an absent status is all zero. */
export const ReplicaStatus = orDefault(Schema.Struct({ replicas: CountOrZero, readyReplicas: CountOrZero, availableReplicas: CountOrZero }), {});

/** One replica when the manifest gives none (upstream SetDefaults_Deployment / _ReplicaSet). */
export const Replicas = orDefault(Count, 1);
