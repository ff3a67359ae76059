/**
 * Generated model objects for the codec's round trips: every value is one the codec can write and
 * read back exactly (requests cover limits and stay within them, no empty strings where Kubernetes
 * reads "" as absent, readyMs only on a ready pod, owner references to built-in kinds without
 * their implied apiVersion).
 */
import { fc } from "@fast-check/vitest";
import type {
  Affinity, Container, Labels, Node, ObjectMeta, OwnerReference, Pod, PodSpec, PodStatus, PodTemplate, ResourceList, Taint, Toleration,
  TopologySpreadConstraint,
} from "../../src/model/objects.ts";

export const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
export const timeMs = fc.integer({ min: 0, max: 4_000_000_000_000 });
export const labels: fc.Arbitrary<Labels> = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9./-]{0,12}$/), fc.stringMatching(/^[a-z0-9]{0,8}$/), { maxKeys: 3 });

const ownerReference: fc.Arbitrary<OwnerReference> = fc.oneof(
  fc.record({ kind: fc.constantFrom("ReplicaSet", "Deployment", "StatefulSet", "Job", "Node"), name, uid: fc.uuid() }, { requiredKeys: ["kind", "name", "uid"] }),
  fc.record({ apiVersion: fc.constantFrom("argoproj.io/v1alpha1", "apps/v1beta1"), kind: fc.constantFrom("Rollout", "Deployment"), name, uid: fc.uuid(), controller: fc.boolean() }, { requiredKeys: ["apiVersion", "kind", "name", "uid"] }),
);

/** `namespaced` false: a cluster-scoped object, namespace "". */
export function objectMeta(namespaced: boolean): fc.Arbitrary<ObjectMeta> {
  return fc.record(
    {
      name,
      namespace: namespaced ? name : fc.constant(""),
      uid: fc.oneof(fc.constant(""), fc.uuid()),
      labels,
      annotations: labels,
      ownerReferences: fc.array(ownerReference, { maxLength: 2 }),
      creationMs: timeMs,
      deletionMs: timeMs,
      generation: fc.nat({ max: 1000 }),
    },
    { requiredKeys: ["name", "namespace", "uid", "labels", "creationMs"] },
  );
}

const resourceName = fc.constantFrom("cpu", "memory", "ephemeral-storage", "nvidia.com/gpu", "pods");
const amount = fc.nat({ max: 2 ** 45 });
export const resourceList: fc.Arbitrary<ResourceList> = fc.dictionary(resourceName, amount, { maxKeys: 4 });

/** Limits, then requests that cover every limited resource and stay within its limit. */
const container: fc.Arbitrary<Container> = fc
  .record({ name, image: fc.option(fc.constantFrom("nginx", "redis:7"), { nil: undefined }), limits: resourceList, extra: resourceList, fraction: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ name, image, limits, extra, fraction }) => {
    const requests: ResourceList = { ...extra };
    for (const [key, limit] of Object.entries(limits)) requests[key] = Math.floor(limit * fraction);
    const c: Container = { name, requests, limits };
    if (image !== undefined) c.image = image;
    return c;
  });

const toleration: fc.Arbitrary<Toleration> = fc.record(
  {
    key: name,
    operator: fc.constantFrom("Exists", "Equal"),
    value: name,
    effect: fc.constantFrom("NoSchedule", "PreferNoSchedule", "NoExecute"),
    tolerationSeconds: fc.nat({ max: 3600 }),
  },
  { requiredKeys: [] },
);

const spread: fc.Arbitrary<TopologySpreadConstraint> = fc.record(
  {
    maxSkew: fc.integer({ min: 1, max: 5 }),
    topologyKey: fc.constantFrom("topology.kubernetes.io/zone", "kubernetes.io/hostname"),
    whenUnsatisfiable: fc.constantFrom("DoNotSchedule", "ScheduleAnyway"),
    labelSelector: fc.record({ matchLabels: labels }),
    minDomains: fc.integer({ min: 1, max: 3 }),
    nodeAffinityPolicy: fc.constantFrom("Honor", "Ignore"),
  },
  { requiredKeys: ["maxSkew", "topologyKey", "whenUnsatisfiable"] },
);

const affinity: fc.Arbitrary<Affinity> = fc.record(
  {
    nodeAffinity: fc.record({
      requiredDuringSchedulingIgnoredDuringExecution: fc.record({
        nodeSelectorTerms: fc.array(fc.record({ matchExpressions: fc.array(fc.record({ key: name, operator: fc.constantFrom("In", "NotIn", "Gt"), values: fc.array(name, { maxLength: 2 }) }), { maxLength: 2 }) }), { minLength: 1, maxLength: 2 }),
      }),
    }),
    podAntiAffinity: fc.record({
      preferredDuringSchedulingIgnoredDuringExecution: fc.array(
        fc.record({ weight: fc.integer({ min: 1, max: 100 }), podAffinityTerm: fc.record({ topologyKey: fc.constant("kubernetes.io/hostname"), labelSelector: fc.record({ matchExpressions: fc.array(fc.record({ key: name, operator: fc.constantFrom("Exists", "DoesNotExist") }), { maxLength: 1 }) }) }) }),
        { maxLength: 2 },
      ),
    }),
  },
  { requiredKeys: [] },
);

export const podSpec: fc.Arbitrary<PodSpec> = fc.record(
  {
    schedulerName: fc.constantFrom("default-scheduler", "bin-packer"),
    containers: fc.array(container, { minLength: 1, maxLength: 3 }),
    initContainers: fc.array(container, { minLength: 1, maxLength: 2 }),
    nodeName: name,
    overhead: resourceList,
    nodeSelector: labels,
    affinity,
    tolerations: fc.array(toleration, { maxLength: 2 }),
    topologySpreadConstraints: fc.array(spread, { maxLength: 2 }),
    priority: fc.integer({ min: -1000, max: 2_000_000_000 }),
    priorityClassName: name,
    preemptionPolicy: fc.constantFrom("PreemptLowerPriority", "Never"),
    terminationGracePeriodSeconds: fc.nat({ max: 600 }),
    volumes: fc.array(fc.record({ name, persistentVolumeClaim: fc.record({ claimName: name }) }, { requiredKeys: ["name"] }), { maxLength: 2 }),
  },
  { requiredKeys: ["schedulerName", "containers"] },
);

export const podTemplate: fc.Arbitrary<PodTemplate> = fc.record({ labels, annotations: labels, spec: podSpec }, { requiredKeys: ["labels", "spec"] });

const podStatus: fc.Arbitrary<PodStatus> = fc
  .record(
    {
      phase: fc.constantFrom("Pending", "Running", "Succeeded", "Failed"),
      ready: fc.boolean(),
      scheduledMs: timeMs,
      startedMs: timeMs,
      readyMs: timeMs,
      nominatedNodeName: name,
      reason: fc.constantFrom("Evicted", "NodeLost"),
    },
    { requiredKeys: ["phase", "ready"] },
  )
  .map((s) => {
    if (s.ready) return s;
    const { readyMs: _, ...rest } = s;
    return rest;
  });

export const pod: fc.Arbitrary<Pod> = fc.record({ kind: fc.constant("Pod" as const), metadata: objectMeta(true), spec: podSpec, status: podStatus });

const taint: fc.Arbitrary<Taint> = fc.record(
  { key: name, value: name, effect: fc.constantFrom("NoSchedule", "PreferNoSchedule", "NoExecute"), timeAddedMs: timeMs },
  { requiredKeys: ["key", "effect"] },
);

export const node: fc.Arbitrary<Node> = fc.record({
  kind: fc.constant("Node" as const),
  metadata: objectMeta(false),
  spec: fc.record({ unschedulable: fc.boolean(), taints: fc.array(taint, { maxLength: 3 }) }),
  status: fc.record({ capacity: resourceList, allocatable: resourceList, ready: fc.constantFrom("True", "False", "Unknown"), readyTransitionMs: timeMs }),
});
