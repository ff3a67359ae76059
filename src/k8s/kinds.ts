/**
 * The index: apiVersion/kind → codec, for every kind the twin models. Adding a kind is one file
 * (its codec) plus one line here. `decodeKube` reads any object (answering "not modelled" for kinds
 * not listed); `encodeKube` writes a model object in its kind's first (preferred) apiVersion.
 */
import { Result, Schema } from "effect";
import type { ClusterObject } from "../model/objects.ts";
import type { AutoscalingObject } from "../model/autoscaling-objects.ts";
import type { PolicyObject } from "../model/scheduling-objects.ts";
import type { StatefulSet } from "../model/stateful-set.ts";
import type { DaemonSet } from "../model/daemon-set.ts";
import type { Job } from "../model/job.ts";
import type { CronJob } from "../model/cron-job.ts";
import type { KindCodec } from "./codec.ts";
import { decodeObject, encodeObject } from "./decode.ts";
import type { Decoded } from "./decode.ts";
import { DaemonSetCodec } from "./daemon-set.ts";
import { DeploymentCodec } from "./deployment.ts";
import { JobCodec } from "./job.ts";
import { CronJobCodec } from "./cron-job.ts";
import { HorizontalPodAutoscalerCodec } from "./horizontal-pod-autoscaler.ts";
import { VerticalPodAutoscalerCodec } from "./vertical-pod-autoscaler.ts";
import { LeaseCodec } from "./lease.ts";
import { LimitRangeCodec } from "./limit-range.ts";
import { NamespaceCodec } from "./namespace.ts";
import { NodeCodec } from "./node.ts";
import { ObjectHeader } from "./object-meta.ts";
import { PersistentVolumeClaimCodec } from "./persistent-volume-claim.ts";
import { PersistentVolumeCodec } from "./persistent-volume.ts";
import { PodDisruptionBudgetCodec } from "./pod-disruption-budget.ts";
import { PodCodec } from "./pod.ts";
import { PodMetricsCodec } from "./pod-metrics.ts";
import { PriorityClassCodec } from "./priority-class.ts";
import { issueAt, problemOfIssue } from "./problem.ts";
import { ReplicaSetCodec } from "./replica-set.ts";
import { ResourceQuotaCodec } from "./resource-quota.ts";
import { ServiceCodec } from "./service.ts";
import { StatefulSetCodec } from "./stateful-set.ts";

/** Every model object the codec reads and writes. */
export type KubeObject = ClusterObject | PolicyObject | AutoscalingObject | StatefulSet | DaemonSet | Job | CronJob;
export type KubeKind = KubeObject["kind"];

const kinds: readonly KindCodec<KubeObject>[] = [
  { apiVersion: "v1", kind: "Pod", namespaced: true, codec: PodCodec },
  { apiVersion: "v1", kind: "Node", namespaced: false, codec: NodeCodec },
  { apiVersion: "v1", kind: "Namespace", namespaced: false, codec: NamespaceCodec },
  { apiVersion: "apps/v1", kind: "Deployment", namespaced: true, codec: DeploymentCodec },
  { apiVersion: "apps/v1", kind: "ReplicaSet", namespaced: true, codec: ReplicaSetCodec },
  { apiVersion: "apps/v1", kind: "StatefulSet", namespaced: true, codec: StatefulSetCodec },
  { apiVersion: "apps/v1", kind: "DaemonSet", namespaced: true, codec: DaemonSetCodec },
  { apiVersion: "batch/v1", kind: "Job", namespaced: true, codec: JobCodec },
  { apiVersion: "batch/v1", kind: "CronJob", namespaced: true, codec: CronJobCodec },
  { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", namespaced: false, codec: PriorityClassCodec },
  { apiVersion: "policy/v1", kind: "PodDisruptionBudget", namespaced: true, codec: PodDisruptionBudgetCodec },
  { apiVersion: "v1", kind: "ResourceQuota", namespaced: true, codec: ResourceQuotaCodec },
  { apiVersion: "v1", kind: "LimitRange", namespaced: true, codec: LimitRangeCodec },
  { apiVersion: "v1", kind: "PersistentVolume", namespaced: false, codec: PersistentVolumeCodec },
  { apiVersion: "v1", kind: "PersistentVolumeClaim", namespaced: true, codec: PersistentVolumeClaimCodec },
  { apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespaced: true, codec: LeaseCodec },
  { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespaced: true, codec: HorizontalPodAutoscalerCodec },
  { apiVersion: "autoscaling.k8s.io/v1", kind: "VerticalPodAutoscaler", namespaced: true, codec: VerticalPodAutoscalerCodec },
  { apiVersion: "v1", kind: "Service", namespaced: true, codec: ServiceCodec },
  { apiVersion: "metrics.k8s.io/v1beta1", kind: "PodMetrics", namespaced: true, codec: PodMetricsCodec },
];

/** The codecs of a kind, preferred apiVersion first; empty for kinds the twin does not model. */
export function codecsOfKind(kind: string): readonly KindCodec<KubeObject>[] {
  return kinds.filter((k) => k.kind === kind);
}

/** Enough of any object to pick its codec, or to name it in a warning. */
export const KindHeader = Schema.Struct({ ...ObjectHeader.fields, kind: Schema.NonEmptyString });
export type KindHeader = typeof KindHeader.Type;

export type KubeDecoded =
  | { outcome: "object"; object: KubeObject; entry: KindCodec<KubeObject> }
  | { outcome: "not modelled"; header: KindHeader };

/**
 * One object, any kind. Without an apiVersion the kind's preferred one is assumed (scenario files
 * may leave it out); a known kind in a version the twin does not read is an error at apiVersion.
 */
export function decodeKube(raw: unknown): Decoded<KubeDecoded> {
  return Result.gen(function* () {
    const header = yield* decodeObject(KindHeader, raw);
    const entries = codecsOfKind(header.kind);
    if (entries.length === 0) return { outcome: "not modelled", header } as const;
    const entry = header.apiVersion === undefined ? entries[0] : entries.find((e) => e.apiVersion === header.apiVersion);
    if (entry === undefined) {
      const expected = entries.map((e) => `"${e.apiVersion}"`).join(" or ");
      return yield* Result.fail(problemOfIssue(issueAt(["apiVersion"], `expected apiVersion ${expected} for a ${header.kind}`, { showFound: true }), raw));
    }
    const object = yield* decodeObject(entry.codec, raw);
    return { outcome: "object", object, entry } as const;
  });
}

/** A model object → its Kubernetes JSON (apiVersion, kind, metadata, spec, status). */
export function encodeKube(object: KubeObject): unknown {
  const entry = codecsOfKind(object.kind)[0];
  if (entry === undefined) throw new Error(`no codec for kind ${object.kind}`);
  return encodeObject(entry.codec, object);
}
