/**
 * One Kubernetes manifest (already plain data) → what the plan does with it: a workload or policy
 * object, a namespace, or a kind the twin does not model yet (kept for a warning).
 */
import { Result } from "effect";
import type { Deployment, DeploymentStrategy, LabelSelector, ObjectMeta, Pod, PodSpec, PodTemplate, ReplicaSet } from "../model/objects.ts";
import { selectorMatches } from "../model/labels.ts";
import type { Ms } from "../model/units.ts";
import type { WorkloadPlan } from "../sim/plan.ts";
import {
  DeploymentSchema, ManifestHeaderSchema, NamespaceSchema, PodSchema, ReplicaSetSchema,
} from "./manifest-schema.ts";
import type { DeploymentDoc, ObjectMetaDoc, PodSpecDoc, ReplicaSetDoc } from "./manifest-schema.ts";
import { asMutable } from "../k8s/mutable.ts";
import { defaultNamespace } from "./namespace.ts";
import { podSpecOf } from "./pod-spec.ts";
import { isPolicyKind, policyObjectOf } from "./policy-objects.ts";
import { decodeAt, problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

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

export { defaultNamespace };
const defaultSurge = "25%";

export function manifestOf(raw: unknown, site: Site, ctx: ManifestContext): Checked<ManifestOutcome> {
  const value = withoutNulls(raw);
  return Result.gen(function* () {
    const header = yield* decodeAt(ManifestHeaderSchema, value, site, false);
    switch (header.kind) {
      case "Deployment":
        return workload(yield* deploymentOf(yield* decodeAt(DeploymentSchema, value, site, false), site, ctx), siteAt(site, "spec", "template", "spec"));
      case "ReplicaSet":
        return workload(yield* replicaSetOf(yield* decodeAt(ReplicaSetSchema, value, site, false), site, ctx), siteAt(site, "spec", "template", "spec"));
      case "Pod": {
        const doc = yield* decodeAt(PodSchema, value, site, false);
        return workload(yield* podOf(doc.metadata, doc.spec, site, ctx), siteAt(site, "spec"));
      }
      case "Namespace":
        return { outcome: "namespace", name: (yield* decodeAt(NamespaceSchema, value, site, false)).metadata.name } as const;
      default: {
        if (!isPolicyKind(header.kind)) return { outcome: "ignored", kind: header.kind, name: header.metadata.name } as const;
        const namespace = ctx.namespace ?? (header.metadata.namespace || defaultNamespace);
        const object = yield* policyObjectOf(header.kind, value, site, namespace);
        return { outcome: "workload", workload: { kind: "PolicyObject", object: structuredClone(object), atMs: ctx.atMs } } as const;
      }
    }
  });
}

function workload(w: WorkloadPlan, podSpecSite: Site): ManifestOutcome {
  const named = w.kind !== "PolicyObject" && podSpecOfPlan(w).priorityClassName !== undefined;
  const outcome: ManifestOutcome = { outcome: "workload", workload: structuredClone(w) };
  if (named) outcome.priorityClassNameSite = siteAt(podSpecSite, "priorityClassName");
  return outcome;
}

function podSpecOfPlan(w: Exclude<WorkloadPlan, { kind: "PolicyObject" }>): PodSpec {
  return w.kind === "Pod" ? w.object.spec : w.object.spec.template.spec;
}

function metaOf(doc: ObjectMetaDoc, ctx: ManifestContext): ObjectMeta {
  const meta: ObjectMeta = {
    name: doc.name,
    namespace: ctx.namespace ?? (doc.namespace || defaultNamespace),
    uid: "", // assigned by the api server
    labels: { ...doc.labels },
    creationMs: ctx.atMs,
    generation: 1,
  };
  if (doc.annotations) meta.annotations = { ...doc.annotations };
  return meta;
}

const emptyStatus = { replicas: 0, readyReplicas: 0, availableReplicas: 0 };

function deploymentOf(doc: DeploymentDoc, site: Site, ctx: ManifestContext): Checked<WorkloadPlan> {
  return Result.gen(function* () {
    const selector = asMutable(doc.spec.selector);
    const template = yield* templateOf(doc.spec.template, selector, siteAt(site, "spec"));
    const strategy = yield* strategyOf(doc.spec.strategy, siteAt(site, "spec", "strategy"));
    const spec: Deployment["spec"] = { replicas: doc.spec.replicas ?? 1, selector, template, strategy };
    if (doc.spec.minReadySeconds !== undefined) spec.minReadySeconds = doc.spec.minReadySeconds;
    const object: Deployment = { kind: "Deployment", metadata: metaOf(doc.metadata, ctx), spec, status: { ...emptyStatus } };
    return { kind: "Deployment", object, atMs: ctx.atMs } as const;
  });
}

function replicaSetOf(doc: ReplicaSetDoc, site: Site, ctx: ManifestContext): Checked<WorkloadPlan> {
  return Result.gen(function* () {
    const selector = asMutable(doc.spec.selector);
    const template = yield* templateOf(doc.spec.template, selector, siteAt(site, "spec"));
    const spec: ReplicaSet["spec"] = { replicas: doc.spec.replicas ?? 1, selector, template };
    if (doc.spec.minReadySeconds !== undefined) spec.minReadySeconds = doc.spec.minReadySeconds;
    const object: ReplicaSet = { kind: "ReplicaSet", metadata: metaOf(doc.metadata, ctx), spec, status: { ...emptyStatus } };
    return { kind: "ReplicaSet", object, atMs: ctx.atMs } as const;
  });
}

function podOf(meta: ObjectMetaDoc, specDoc: PodSpecDoc, site: Site, ctx: ManifestContext): Checked<WorkloadPlan> {
  return Result.map(podSpecOf(specDoc, siteAt(site, "spec")), (spec) => {
    const object: Pod = { kind: "Pod", metadata: metaOf(meta, ctx), spec, status: { phase: "Pending", ready: false } };
    return { kind: "Pod", object, atMs: ctx.atMs } as const;
  });
}

/** The API server rejects an empty selector and one that does not select its own template. */
function templateOf(doc: DeploymentDoc["spec"]["template"], selector: LabelSelector, specSite: Site): Checked<PodTemplate> {
  const labels = { ...doc.metadata?.labels };
  const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  if (empty) return Result.fail(problemAt(siteAt(specSite, "selector"), "expected a non-empty selector"));
  if (!selectorMatches(selector, labels)) {
    return Result.fail(problemAt(siteAt(specSite, "selector"), "the selector does not match the template's labels (spec.template.metadata.labels)"));
  }
  return Result.map(podSpecOf(doc.spec, siteAt(specSite, "template", "spec")), (spec) => {
    const template: PodTemplate = { labels, spec };
    if (doc.metadata?.annotations) template.annotations = { ...doc.metadata.annotations };
    return template;
  });
}

/** RollingUpdate with 25%/25% unless stated; both limits zero would never make progress. */
function strategyOf(doc: DeploymentDoc["spec"]["strategy"], site: Site): Checked<DeploymentStrategy> {
  const type = doc?.type ?? "RollingUpdate";
  const maxSurge = doc?.rollingUpdate?.maxSurge ?? defaultSurge;
  const maxUnavailable = doc?.rollingUpdate?.maxUnavailable ?? defaultSurge;
  if (type === "RollingUpdate" && isZero(maxSurge) && isZero(maxUnavailable)) {
    return Result.fail(problemAt(siteAt(site, "rollingUpdate"), "maxSurge and maxUnavailable must not both be zero"));
  }
  return Result.succeed({ type, maxSurge, maxUnavailable });
}

function isZero(value: number | string): boolean {
  return value === 0 || value === "0%";
}

/** Kubernetes reads `field: null` as an absent field. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== null) out[key] = withoutNulls(v);
  return out;
}
