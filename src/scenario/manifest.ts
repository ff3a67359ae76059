/**
 * One Kubernetes manifest (already plain data) → what the plan does with it: a workload or policy
 * object, a namespace, or a kind the scenario does not take (kept for a warning; Nodes come from
 * node pools). The Kubernetes codec (src/k8s) decodes; this file only says what creating the object
 * means, as the API server's create does: the manifest's status is ignored (the object starts from
 * the status its codec reads for none), uid and creation time are assigned (uid "" until the api
 * server assigns one), generation is 1, and owner references are dropped (they name uids of another
 * cluster). A workload entry's namespace overrides the manifest's, for namespaced kinds only.
 */
import { Result } from "effect";
import { decodeObject } from "../k8s/decode.ts";
import { decodeKube, KindHeader } from "../k8s/kinds.ts";
import type { KubeObject } from "../k8s/kinds.ts";
import type { ObjectMeta } from "../model/objects.ts";
import type { Ms } from "../model/units.ts";
import type { WorkloadPlan } from "../sim/plan.ts";
import { atSite, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export { defaultNamespace } from "../k8s/object-meta.ts";

export type ManifestOutcome =
  /** `priorityClassNameSite`: where the pod (template) names its PriorityClass, if it does. */
  | { outcome: "workload"; workload: WorkloadPlan; priorityClassNameSite?: Site }
  | { outcome: "namespace"; name: string }
  | { outcome: "ignored"; kind: string; name: string };

export interface ManifestContext {
  atMs: Ms;
  /** The workload entry's namespace override, if any. */
  namespace: string | undefined;
}

/** Kinds a scenario creates; every other kind is ignored with a warning. */
const scenarioKinds: ReadonlySet<string> = new Set<KubeObject["kind"]>([
  "Pod", "Deployment", "ReplicaSet", "Namespace",
  "PriorityClass", "PodDisruptionBudget", "ResourceQuota", "LimitRange", "PersistentVolume", "PersistentVolumeClaim",
  "HorizontalPodAutoscaler", "VerticalPodAutoscaler", "Service", "StatefulSet", "DaemonSet", "Job", "CronJob",
]);

export function manifestOf(raw: unknown, site: Site, ctx: ManifestContext): Checked<ManifestOutcome> {
  return Result.gen(function* () {
    const header = yield* atSite(decodeObject(KindHeader, raw), site);
    if (!scenarioKinds.has(header.kind)) return { outcome: "ignored", kind: header.kind, name: header.metadata.name } as const;
    const decoded = yield* atSite(decodeKube(withoutStatus(raw)), site);
    if (decoded.outcome === "not modelled") return { outcome: "ignored", kind: header.kind, name: header.metadata.name } as const;
    const object = decoded.object;
    switch (object.kind) {
      case "Namespace":
        return { outcome: "namespace", name: object.metadata.name } as const;
      case "Node":
      case "Lease":
        return { outcome: "ignored", kind: header.kind, name: header.metadata.name } as const;
      case "Pod":
        object.metadata = created(object.metadata, ctx, ctx.atMs);
        return workload({ kind: "Pod", object, atMs: ctx.atMs }, object.spec.priorityClassName, siteAt(site, "spec"));
      case "Deployment":
        object.metadata = created(object.metadata, ctx, ctx.atMs);
        return workload({ kind: "Deployment", object, atMs: ctx.atMs }, object.spec.template.spec.priorityClassName, siteAt(site, "spec", "template", "spec"));
      case "ReplicaSet":
        object.metadata = created(object.metadata, ctx, ctx.atMs);
        return workload({ kind: "ReplicaSet", object, atMs: ctx.atMs }, object.spec.template.spec.priorityClassName, siteAt(site, "spec", "template", "spec"));
      default:
        // Policy objects keep creation time 0, a placeholder the api server fills in.
        object.metadata = created(object.metadata, ctx, 0);
        return { outcome: "workload", workload: { kind: "PolicyObject", object, atMs: ctx.atMs } } as const;
    }
  });
}

function workload(w: WorkloadPlan, priorityClassName: string | undefined, podSpecSite: Site): ManifestOutcome {
  const outcome: ManifestOutcome = { outcome: "workload", workload: w };
  if (priorityClassName !== undefined) outcome.priorityClassNameSite = siteAt(podSpecSite, "priorityClassName");
  return outcome;
}

/** The metadata of an object as the api server creates it (see the file's comment). */
function created(meta: ObjectMeta, ctx: ManifestContext, creationMs: Ms): ObjectMeta {
  const namespace = meta.namespace === "" ? "" : (ctx.namespace ?? meta.namespace);
  const out: ObjectMeta = { name: meta.name, namespace, uid: "", labels: meta.labels, creationMs, generation: 1 };
  if (meta.annotations !== undefined) out.annotations = meta.annotations;
  return out;
}

/** The API server ignores the status of an object being created. */
function withoutStatus(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const { status: _, ...rest } = raw as Record<string, unknown>;
  return rest;
}
