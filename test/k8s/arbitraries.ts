/**
 * Generated model objects for the codec's round trips: every value is one the codec can write and
 * read back exactly (requests cover limits and stay within them, no empty strings where Kubernetes
 * reads "" as absent, readyMs only on a ready pod, owner references to built-in kinds without
 * their implied apiVersion).
 */
import { fc } from "@fast-check/vitest";
import type { StatefulSet } from "../../src/model/stateful-set.ts";
import type { DaemonSet, DaemonSetStatus, DaemonSetUpdateStrategy } from "../../src/model/daemon-set.ts";
import type { Job, JobCondition, JobSpec, PodFailurePolicyRule } from "../../src/model/job.ts";
import type { CronJob } from "../../src/model/cron-job.ts";
import type {
  Affinity, Container, Deployment, DeploymentCondition, DeploymentStatus, DeploymentStrategy, Labels, Lease, Namespace, Node, ObjectMeta, OwnerReference, Pod, PodSpec, PodStatus, PodTemplate,
  ReplicaSet, ResourceList, Taint, Toleration, TopologySpreadConstraint,
} from "../../src/model/objects.ts";
import type {
  LimitRange, LimitRangeItem, PersistentVolume, PersistentVolumeClaim, PodDisruptionBudget, PriorityClass, ResourceQuota,
} from "../../src/model/scheduling-objects.ts";
import type {
  HorizontalPodAutoscaler, HpaCondition, HpaMetricSpec, HpaMetricStatus, HpaMetricTarget, HpaScalingRules, PodMetrics, Service, VerticalPodAutoscaler,
} from "../../src/model/autoscaling-objects.ts";

/** A DNS-1123 label: valid as any object's name and as a namespace. */
export const name = fc.stringMatching(/^[a-z]([a-z0-9-]{0,9}[a-z0-9])?$/);
export const timeMs = fc.integer({ min: 0, max: 4_000_000_000_000 });
/** Label keys (an optional DNS-subdomain prefix, a name part) and values as the API server accepts them. */
const labelName = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,8}[A-Za-z0-9])?$/);
const labelKey = fc.tuple(fc.option(fc.array(name, { minLength: 1, maxLength: 2 }), { nil: undefined }), labelName).map(([prefix, n]) => (prefix ? `${prefix.join(".")}/${n}` : n));
export const labels: fc.Arbitrary<Labels> = fc.dictionary(labelKey, fc.oneof(fc.constant(""), labelName), { maxKeys: 3 });

const ownerReference: fc.Arbitrary<OwnerReference> = fc.oneof(
  fc.record({ kind: fc.constantFrom("ReplicaSet", "Deployment", "StatefulSet", "Job", "Node"), name, uid: fc.uuid(), controller: fc.boolean(), blockOwnerDeletion: fc.boolean() }, { requiredKeys: ["kind", "name", "uid"] }),
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
      finalizers: fc.array(fc.constantFrom("orphan", "foregroundDeletion", "example.com/keep"), { minLength: 1, maxLength: 2 }),
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

const workloadBase = fc.record({ metadata: objectMeta(true), template: podTemplate, extraLabel: fc.tuple(name, name), replicas: fc.nat({ max: 50 }) }).map(({ metadata, template, extraLabel, replicas }) => {
  // A selector the template's labels satisfy, never empty.
  const labels = { ...template.labels, [extraLabel[0]]: extraLabel[1] };
  return { metadata, replicas, selector: { matchLabels: { [extraLabel[0]]: extraLabel[1] } }, template: { ...template, labels } };
});

const replicaStatus = fc.record({ replicas: fc.nat({ max: 50 }), readyReplicas: fc.nat({ max: 50 }), availableReplicas: fc.nat({ max: 50 }) });
const intOrPercent = fc.oneof(fc.nat({ max: 10 }), fc.nat({ max: 100 }).map((n) => `${n}%`));

const strategy: fc.Arbitrary<DeploymentStrategy> = fc.oneof(
  fc.constant({ type: "Recreate" as const, maxSurge: "25%", maxUnavailable: "25%" }),
  fc.record({ type: fc.constant("RollingUpdate" as const), maxSurge: intOrPercent, maxUnavailable: fc.integer({ min: 1, max: 5 }) }),
);

const deploymentCondition: fc.Arbitrary<DeploymentCondition> = fc.record({
  type: fc.constantFrom("Available", "Progressing", "ReplicaFailure"),
  status: fc.constantFrom("True", "False", "Unknown"),
  reason: fc.constantFrom("MinimumReplicasAvailable", "NewReplicaSetAvailable", "ProgressDeadlineExceeded", ""),
  message: fc.string({ maxLength: 20 }),
  lastUpdateMs: timeMs,
  lastTransitionMs: timeMs,
});

const deploymentStatus: fc.Arbitrary<DeploymentStatus> = fc
  .record(
    { counts: replicaStatus, observedGeneration: fc.integer({ min: 1, max: 1000 }), updatedReplicas: fc.nat({ max: 50 }), unavailableReplicas: fc.nat({ max: 50 }), conditions: fc.uniqueArray(deploymentCondition, { maxLength: 3, selector: (c) => c.type }) },
    { requiredKeys: ["counts"] },
  )
  .map(({ counts, ...rest }) => ({ ...counts, ...rest }));

export const deployment: fc.Arbitrary<Deployment> = fc
  .record({
    base: workloadBase,
    strategy,
    minReadySeconds: fc.option(fc.nat({ max: 60 }), { nil: undefined }),
    paused: fc.boolean(),
    revisionHistoryLimit: fc.nat({ max: 20 }),
    deadlineExtraSeconds: fc.integer({ min: 1, max: 1200 }),
    status: deploymentStatus,
  })
  .map(({ base, strategy, minReadySeconds, paused, revisionHistoryLimit, deadlineExtraSeconds, status }) => {
    const spec: Deployment["spec"] = { replicas: base.replicas, selector: base.selector, template: base.template, strategy, revisionHistoryLimit, progressDeadlineSeconds: (minReadySeconds ?? 0) + deadlineExtraSeconds };
    if (minReadySeconds !== undefined) spec.minReadySeconds = minReadySeconds;
    if (paused) spec.paused = true;
    return { kind: "Deployment", metadata: base.metadata, spec, status };
  });

export const replicaSet: fc.Arbitrary<ReplicaSet> = fc
  .record({ base: workloadBase, status: replicaStatus })
  .map(({ base, status }) => ({ kind: "ReplicaSet" as const, metadata: base.metadata, spec: { replicas: base.replicas, selector: base.selector, template: base.template }, status }));

const daemonSetStrategy: fc.Arbitrary<DaemonSetUpdateStrategy> = fc.oneof(
  fc.constant({ type: "OnDelete" as const, maxUnavailable: 1, maxSurge: 0 }),
  fc.record({ type: fc.constant("RollingUpdate" as const), maxUnavailable: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 100 }).map((n) => `${n}%`)), maxSurge: fc.constant(0) }),
  fc.record({ type: fc.constant("RollingUpdate" as const), maxUnavailable: fc.constant(0), maxSurge: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 100 }).map((n) => `${n}%`)) }),
);

const daemonSetStatus: fc.Arbitrary<DaemonSetStatus> = fc.record({
  desiredNumberScheduled: fc.nat({ max: 50 }), currentNumberScheduled: fc.nat({ max: 50 }), numberMisscheduled: fc.nat({ max: 50 }), numberReady: fc.nat({ max: 50 }),
  updatedNumberScheduled: fc.nat({ max: 50 }), numberAvailable: fc.nat({ max: 50 }), numberUnavailable: fc.nat({ max: 50 }),
});

export const daemonSet: fc.Arbitrary<DaemonSet> = fc
  .record({ base: workloadBase, updateStrategy: daemonSetStrategy, minReadySeconds: fc.option(fc.nat({ max: 60 }), { nil: undefined }), status: daemonSetStatus })
  .map(({ base, updateStrategy, minReadySeconds, status }) => {
    const ds: DaemonSet = { kind: "DaemonSet", metadata: base.metadata, spec: { selector: base.selector, template: base.template, updateStrategy }, status };
    if (minReadySeconds !== undefined) ds.spec.minReadySeconds = minReadySeconds;
    return ds;
  });

const podFailurePolicyRule: fc.Arbitrary<PodFailurePolicyRule> = fc.oneof(
  fc.record({
    action: fc.constantFrom("FailJob" as const, "Ignore" as const, "Count" as const),
    onExitCodes: fc.record({ containerName: name, operator: fc.constant("In" as const), values: fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 3 }) }, { requiredKeys: ["operator", "values"] }),
  }),
  fc.record({
    action: fc.constantFrom("FailJob" as const, "Ignore" as const, "Count" as const),
    onExitCodes: fc.record({ operator: fc.constant("NotIn" as const), values: fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 3 }) }),
  }),
  fc.record({
    action: fc.constantFrom("FailJob" as const, "Ignore" as const, "Count" as const),
    onPodConditions: fc.array(fc.record({ type: fc.constantFrom("DisruptionTarget", "ConfigIssue"), status: fc.constantFrom("True" as const, "False" as const, "Unknown" as const) }), { minLength: 1, maxLength: 2 }),
  }),
);

const jobCondition: fc.Arbitrary<JobCondition> = fc.record({
  type: fc.constantFrom("Complete" as const, "Failed" as const, "Suspended" as const, "FailureTarget" as const, "SuccessCriteriaMet" as const),
  status: fc.constantFrom("True" as const, "False" as const),
  reason: fc.constantFrom("", "BackoffLimitExceeded", "DeadlineExceeded", "PodFailurePolicy"),
  message: fc.constantFrom("", "Job has reached the specified backoff limit"),
  lastTransitionMs: timeMs,
});

export const job: fc.Arbitrary<Job> = fc
  .record({
    base: workloadBase,
    parallelism: fc.nat({ max: 10 }),
    completions: fc.option(fc.nat({ max: 10 }), { nil: undefined }),
    backoffLimit: fc.nat({ max: 10 }),
    activeDeadlineSeconds: fc.option(fc.nat({ max: 3600 }), { nil: undefined }),
    ttlSecondsAfterFinished: fc.option(fc.nat({ max: 3600 }), { nil: undefined }),
    indexed: fc.boolean(),
    suspend: fc.boolean(),
    podReplacementPolicy: fc.constantFrom("TerminatingOrFailed" as const, "Failed" as const),
    manual: fc.boolean(),
    rules: fc.option(fc.array(podFailurePolicyRule, { maxLength: 3 }), { nil: undefined }),
    restartPolicy: fc.constantFrom("OnFailure" as const, "Never" as const),
    perIndex: fc.option(fc.nat({ max: 5 }), { nil: undefined }),
    maxFailed: fc.option(fc.nat({ max: 5 }), { nil: undefined }),
    status: fc.record({
      active: fc.nat({ max: 10 }), succeeded: fc.nat({ max: 10 }), failed: fc.nat({ max: 10 }), ready: fc.nat({ max: 10 }), terminating: fc.nat({ max: 10 }),
      startMs: timeMs, completionMs: timeMs, completedIndexes: fc.constantFrom("", "0", "1,3-5"), failedIndexes: fc.constantFrom("", "2"), conditions: fc.array(jobCondition, { maxLength: 3 }),
    }, { requiredKeys: ["active", "succeeded", "failed", "ready", "terminating", "conditions"] }),
  })
  .map((a) => {
    const template = { ...a.base.template, spec: { ...a.base.template.spec, restartPolicy: a.rules !== undefined ? ("Never" as const) : a.restartPolicy } };
    // The codec's defaults: both counts absent read as 1 and 1; an Indexed Job needs completions.
    const completions = a.completions ?? (a.indexed ? 1 : undefined);
    const spec: JobSpec = { parallelism: a.parallelism, backoffLimit: a.backoffLimit, completionMode: a.indexed ? "Indexed" : "NonIndexed", suspend: a.suspend, podReplacementPolicy: a.podReplacementPolicy, template };
    if (completions !== undefined) spec.completions = completions;
    if (a.activeDeadlineSeconds !== undefined) spec.activeDeadlineSeconds = a.activeDeadlineSeconds;
    if (a.ttlSecondsAfterFinished !== undefined) spec.ttlSecondsAfterFinished = a.ttlSecondsAfterFinished;
    if (a.manual) {
      spec.manualSelector = true;
      spec.selector = a.base.selector;
    }
    if (a.rules !== undefined) spec.podFailurePolicy = { rules: a.rules };
    if (a.indexed && a.perIndex !== undefined) {
      spec.backoffLimitPerIndex = a.perIndex;
      if (a.maxFailed !== undefined && a.maxFailed <= (completions ?? 0)) spec.maxFailedIndexes = a.maxFailed;
    }
    // A Job without labels takes its template's (SetDefaults_Job).
    const labels = Object.keys(a.base.metadata.labels).length === 0 ? { ...template.labels } : a.base.metadata.labels;
    return { kind: "Job" as const, metadata: { ...a.base.metadata, labels }, spec, status: a.status };
  });

export const cronJob: fc.Arbitrary<CronJob> = fc
  .record({
    job,
    schedule: fc.constantFrom("*/5 * * * *", "0 3 * * 1-5", "@hourly", "@every 90s", "15,45 */2 1 JAN-JUN ?"),
    timeZone: fc.option(fc.constantFrom("UTC", "Etc/UTC"), { nil: undefined }),
    startingDeadlineSeconds: fc.option(fc.nat({ max: 3600 }), { nil: undefined }),
    concurrencyPolicy: fc.constantFrom("Allow" as const, "Forbid" as const, "Replace" as const),
    suspend: fc.boolean(),
    successfulJobsHistoryLimit: fc.nat({ max: 10 }),
    failedJobsHistoryLimit: fc.nat({ max: 10 }),
    active: fc.array(fc.record({ namespace: name, name, uid: fc.uuid() }), { maxLength: 2 }),
    lastScheduleMs: fc.option(timeMs.map((t) => t - (t % 60_000)), { nil: undefined }),
    lastSuccessfulMs: fc.option(timeMs, { nil: undefined }),
  })
  .map((a) => {
    const cj: CronJob = {
      kind: "CronJob",
      metadata: { ...a.job.metadata, name: a.job.metadata.name.slice(0, 52) },
      spec: {
        schedule: a.schedule, concurrencyPolicy: a.concurrencyPolicy, suspend: a.suspend, successfulJobsHistoryLimit: a.successfulJobsHistoryLimit, failedJobsHistoryLimit: a.failedJobsHistoryLimit,
        jobTemplate: { labels: a.job.metadata.labels, spec: a.job.spec },
      },
      status: { active: a.active },
    };
    if (a.timeZone !== undefined) cj.spec.timeZone = a.timeZone;
    if (a.startingDeadlineSeconds !== undefined) cj.spec.startingDeadlineSeconds = a.startingDeadlineSeconds;
    if (a.lastScheduleMs !== undefined) cj.status.lastScheduleMs = a.lastScheduleMs;
    if (a.lastSuccessfulMs !== undefined) cj.status.lastSuccessfulMs = a.lastSuccessfulMs;
    return cj;
  });

export const namespace: fc.Arbitrary<Namespace> = fc.record({ kind: fc.constant("Namespace" as const), metadata: objectMeta(false) });

export const priorityClass: fc.Arbitrary<PriorityClass> = fc.record(
  {
    kind: fc.constant("PriorityClass" as const),
    metadata: objectMeta(false),
    value: fc.integer({ min: -2_147_483_648, max: 1_000_000_000 }),
    globalDefault: fc.boolean(),
    preemptionPolicy: fc.constantFrom("PreemptLowerPriority", "Never"),
    description: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: ["kind", "metadata", "value", "globalDefault", "preemptionPolicy"] },
);

const budget = fc.oneof(fc.record({ minAvailable: intOrPercent }), fc.record({ maxUnavailable: intOrPercent }), fc.constant({}));

export const podDisruptionBudget: fc.Arbitrary<PodDisruptionBudget> = fc
  .record({
    metadata: objectMeta(true),
    selector: fc.option(fc.record({ matchLabels: labels }), { nil: undefined }),
    budget,
    policy: fc.option(fc.constantFrom("IfHealthyBudget" as const, "AlwaysAllow" as const), { nil: undefined }),
    status: fc.record(
      {
        disruptionsAllowed: fc.nat({ max: 9 }),
        currentHealthy: fc.nat({ max: 9 }),
        desiredHealthy: fc.nat({ max: 9 }),
        expectedPods: fc.nat({ max: 9 }),
        disruptedPods: fc.dictionary(name, timeMs, { maxKeys: 2 }),
        observedGeneration: fc.nat({ max: 9 }),
      },
      { requiredKeys: ["disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"] },
    ),
  })
  .map(({ metadata, selector, budget, policy, status }) => {
    const spec: PodDisruptionBudget["spec"] = { ...budget };
    if (selector !== undefined) spec.selector = selector;
    if (policy !== undefined) spec.unhealthyPodEvictionPolicy = policy;
    return { kind: "PodDisruptionBudget" as const, metadata, spec, status };
  });

const quotaName = fc.constantFrom("pods", "count/pods", "requests.cpu", "limits.cpu", "cpu", "requests.memory", "requests.storage", "persistentvolumeclaims");
const quotaList: fc.Arbitrary<ResourceList> = fc.dictionary(quotaName, amount, { maxKeys: 4 });

export const resourceQuota: fc.Arbitrary<ResourceQuota> = fc.record({
  kind: fc.constant("ResourceQuota" as const),
  metadata: objectMeta(true),
  spec: fc.record({ hard: quotaList }),
  status: fc.record({ hard: quotaList, used: quotaList }),
});

/** min ≤ defaultRequest ≤ default ≤ max per resource: four sorted amounts, some left out. */
const containerLimits = fc
  .record({ cpu: fc.array(amount, { minLength: 4, maxLength: 4 }), memory: fc.array(amount, { minLength: 4, maxLength: 4 }), keep: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), ratio: fc.integer({ min: 1000, max: 9000 }) })
  .map(({ cpu, memory, keep, ratio }): LimitRangeItem => {
    const fields = ["min", "defaultRequest", "default", "max"] as const;
    const [c, m] = [[...cpu].sort((a, b) => a - b), [...memory].sort((a, b) => a - b)];
    const item: LimitRangeItem = { type: "Container", maxLimitRequestRatio: { cpu: ratio / 1000 } };
    fields.forEach((field, i) => {
      if (keep[i]) item[field] = { cpu: c[i] as number, memory: m[i] as number };
    });
    return item;
  });
const pvcLimits: fc.Arbitrary<LimitRangeItem> = fc.tuple(amount, amount).map(([a, b]) => ({ type: "PersistentVolumeClaim", min: { storage: Math.min(a, b) }, max: { storage: Math.max(a, b) } }));
const podLimits: fc.Arbitrary<LimitRangeItem> = fc.record({ max: fc.record({ cpu: amount }) }).map(({ max }) => ({ type: "Pod", max }));

export const limitRange: fc.Arbitrary<LimitRange> = fc.record({
  kind: fc.constant("LimitRange" as const),
  metadata: objectMeta(true),
  spec: fc.record({ limits: fc.array(fc.oneof(containerLimits, pvcLimits, podLimits), { maxLength: 3 }) }),
});

const accessModes = fc.array(fc.constantFrom("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"), { minLength: 1, maxLength: 2 });

export const persistentVolume: fc.Arbitrary<PersistentVolume> = fc.record({
  kind: fc.constant("PersistentVolume" as const),
  metadata: objectMeta(false),
  spec: fc.record(
    {
      capacity: fc.record({ storage: amount }),
      storageClassName: fc.constantFrom("", "zonal"),
      accessModes,
      nodeAffinity: fc.record({ required: fc.record({ nodeSelectorTerms: fc.array(fc.record({ matchExpressions: fc.array(fc.record({ key: name, operator: fc.constant("In" as const), values: fc.array(name, { maxLength: 2 }) }), { maxLength: 1 }) }), { maxLength: 1 }) }) }),
      claimRef: fc.record({ namespace: name, name }),
    },
    { requiredKeys: ["capacity"] },
  ),
  status: fc.record({ phase: fc.constantFrom("Pending", "Available", "Bound", "Released", "Failed") }),
});

export const persistentVolumeClaim: fc.Arbitrary<PersistentVolumeClaim> = fc.record({
  kind: fc.constant("PersistentVolumeClaim" as const),
  metadata: objectMeta(true),
  spec: fc.record(
    { storageClassName: fc.constantFrom("", "zonal"), accessModes, resources: fc.record({ requests: fc.record({ storage: amount }) }), volumeName: name },
    { requiredKeys: ["resources"] },
  ),
  status: fc.record({ phase: fc.constantFrom("Pending", "Bound", "Lost") }),
});

export const lease: fc.Arbitrary<Lease> = fc.record({
  kind: fc.constant("Lease" as const),
  metadata: objectMeta(true),
  spec: fc.record({ holderIdentity: name, leaseDurationSeconds: fc.integer({ min: 0, max: 3600 }), renewTimeMs: timeMs }),
});

const milli = fc.integer({ min: 0, max: 10_000_000 });
const hpaTarget: fc.Arbitrary<HpaMetricTarget> = fc.oneof(
  fc.record({ type: fc.constant("Utilization" as const), averageUtilization: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ type: fc.constant("AverageValue" as const), averageValueMilli: milli }),
);
const valueTarget: fc.Arbitrary<HpaMetricTarget> = fc.oneof(hpaTarget, fc.record({ type: fc.constant("Value" as const), valueMilli: milli }));
const metricIdentifier = fc.record({ name, selector: fc.record({ matchLabels: labels }) }, { requiredKeys: ["name"] });
const objectRef = fc.record({ apiVersion: fc.constant("apps/v1"), kind: fc.constantFrom("Deployment", "Ingress"), name }, { requiredKeys: ["kind", "name"] });

const hpaMetric: fc.Arbitrary<HpaMetricSpec> = fc.oneof(
  fc.record({ type: fc.constant("Resource" as const), resource: fc.record({ name: fc.constantFrom("cpu", "memory"), target: hpaTarget }) }),
  fc.record({ type: fc.constant("ContainerResource" as const), containerResource: fc.record({ name: fc.constant("cpu"), container: name, target: hpaTarget }) }),
  fc.record({ type: fc.constant("Pods" as const), pods: fc.record({ metric: metricIdentifier, target: fc.record({ type: fc.constant("AverageValue" as const), averageValueMilli: milli }) }) }),
  fc.record({ type: fc.constant("Object" as const), object: fc.record({ describedObject: objectRef, metric: metricIdentifier, target: valueTarget }) }),
  fc.record({ type: fc.constant("External" as const), external: fc.record({ metric: metricIdentifier, target: valueTarget }) }),
);

const scalingRules: fc.Arbitrary<HpaScalingRules> = fc.record(
  {
    stabilizationWindowSeconds: fc.integer({ min: 0, max: 3600 }),
    selectPolicy: fc.constantFrom("Max", "Min", "Disabled"),
    policies: fc.array(fc.record({ type: fc.constantFrom("Pods", "Percent"), value: fc.integer({ min: 1, max: 1000 }), periodSeconds: fc.integer({ min: 1, max: 1800 }) }), { maxLength: 3 }),
    tolerance: fc.integer({ min: 0, max: 1000 }).map((t) => t / 1000),
  },
  { requiredKeys: [] },
);

const metricCurrent = fc.record({ averageUtilization: fc.nat({ max: 1000 }), averageValueMilli: milli, valueMilli: milli }, { requiredKeys: [] });
const hpaMetricStatus: fc.Arbitrary<HpaMetricStatus> = fc.oneof(
  fc.record({ type: fc.constant("Resource" as const), name: fc.constantFrom("cpu", "memory"), current: metricCurrent }),
  fc.record({ type: fc.constant("ContainerResource" as const), name: fc.constant("cpu"), container: name, current: metricCurrent }),
  fc.record({ type: fc.constant("Pods" as const), name, current: metricCurrent }),
  fc.record({ type: fc.constant("Object" as const), name, describedObject: objectRef, current: metricCurrent }),
  fc.record({ type: fc.constant("External" as const), name, selector: fc.record({ matchLabels: labels }), current: metricCurrent }),
);

const hpaCondition: fc.Arbitrary<HpaCondition> = fc.record({
  type: fc.constantFrom("AbleToScale", "ScalingActive", "ScalingLimited"),
  status: fc.constantFrom("True", "False", "Unknown"),
  reason: fc.constantFrom("", "SucceededRescale", "ValidMetricFound"),
  message: fc.constantFrom("", "the HPA controller was able to update the target scale to 4"),
  lastTransitionMs: timeMs,
});

export const horizontalPodAutoscaler: fc.Arbitrary<HorizontalPodAutoscaler> = fc
  .record({
    metadata: objectMeta(true),
    minReplicas: fc.integer({ min: 1, max: 50 }),
    extra: fc.nat({ max: 50 }),
    metrics: fc.array(hpaMetric, { minLength: 1, maxLength: 3 }),
    behavior: fc.option(fc.record({ scaleUp: scalingRules, scaleDown: scalingRules }, { requiredKeys: [] }), { nil: undefined }),
    status: fc.record(
      { currentReplicas: fc.nat({ max: 100 }), desiredReplicas: fc.nat({ max: 100 }), lastScaleMs: timeMs, observedGeneration: fc.nat({ max: 10 }), currentMetrics: fc.array(hpaMetricStatus, { maxLength: 2 }), conditions: fc.array(hpaCondition, { maxLength: 3 }) },
      { requiredKeys: ["currentReplicas", "desiredReplicas", "currentMetrics", "conditions"] },
    ),
  })
  .map(({ metadata, minReplicas, extra, metrics, behavior, status }) => ({
    kind: "HorizontalPodAutoscaler" as const,
    metadata,
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas, maxReplicas: minReplicas + extra, metrics, ...(behavior !== undefined ? { behavior } : {}) },
    status,
  }));

export const service: fc.Arbitrary<Service> = fc.record({
  kind: fc.constant("Service" as const),
  metadata: objectMeta(true),
  spec: fc.record(
    {
      type: fc.constantFrom("ClusterIP", "NodePort", "LoadBalancer"),
      selector: labels,
      ports: fc.array(fc.record({ name, port: fc.integer({ min: 1, max: 65535 }), targetPort: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constant("http")), protocol: fc.constantFrom("TCP", "UDP") }, { requiredKeys: ["port", "targetPort", "protocol"] }), { maxLength: 2 }),
    },
    { requiredKeys: ["type", "ports"] },
  ),
});

export const podMetrics: fc.Arbitrary<PodMetrics> = fc.record({
  kind: fc.constant("PodMetrics" as const),
  metadata: objectMeta(true),
  timestampMs: timeMs,
  windowMs: fc.integer({ min: 1, max: 600 }).map((s) => s * 1000),
  containers: fc.array(fc.record({ name, usage: fc.record({ cpu: fc.integer({ min: 0, max: 64_000 }), memory: fc.integer({ min: 0, max: 2 ** 36 }) }) }), { maxLength: 2 }),
});

const cpuMemory = fc.record({ cpu: fc.integer({ min: 1, max: 64_000 }), memory: fc.integer({ min: 1, max: 2 ** 36 }) });

export const verticalPodAutoscaler: fc.Arbitrary<VerticalPodAutoscaler> = fc.record({
  kind: fc.constant("VerticalPodAutoscaler" as const),
  metadata: objectMeta(true),
  spec: fc.record({
    targetRef: fc.record({ apiVersion: fc.constant("apps/v1"), kind: fc.constantFrom("Deployment", "StatefulSet"), name }),
    updateMode: fc.constantFrom("Off", "Initial", "Recreate", "InPlaceOrRecreate", "InPlace", "Auto"),
    containerPolicies: fc.array(
      fc.record(
        { containerName: fc.oneof(fc.constant("*"), name), mode: fc.constantFrom("Auto", "Off"), minAllowed: cpuMemory, maxAllowed: cpuMemory, controlledResources: fc.constantFrom<("cpu" | "memory")[]>(["cpu", "memory"], ["cpu"], ["memory"]) },
        { requiredKeys: ["containerName", "mode", "controlledResources"] },
      ),
      { maxLength: 2 },
    ),
  }),
  status: fc.record(
    {
      recommendation: fc.record({ containerRecommendations: fc.array(fc.record({ containerName: name, target: cpuMemory, lowerBound: cpuMemory, upperBound: cpuMemory, uncappedTarget: cpuMemory }), { maxLength: 2 }) }),
      conditions: fc.array(fc.record({ type: fc.constantFrom("RecommendationProvided", "NoPodsMatched"), status: fc.constantFrom("True" as const, "False" as const), reason: fc.constantFrom("", "NoPodsMatched"), message: fc.constantFrom("", "No pods match this VPA object"), lastTransitionMs: timeMs }, { requiredKeys: ["type", "status", "lastTransitionMs"] }), { maxLength: 2 }),
    },
    { requiredKeys: ["conditions"] },
  ),
});

const statefulSetStatus = fc.record(
  {
    replicas: fc.nat({ max: 50 }),
    readyReplicas: fc.nat({ max: 50 }),
    availableReplicas: fc.nat({ max: 50 }),
    currentReplicas: fc.nat({ max: 50 }),
    updatedReplicas: fc.nat({ max: 50 }),
    currentRevision: name,
    updateRevision: name,
  },
  { requiredKeys: ["replicas", "readyReplicas", "availableReplicas", "currentReplicas", "updatedReplicas"] },
);

const claimTemplate = fc.record({
  metadata: fc.record({ name, labels }),
  spec: fc.record({ storageClassName: fc.constantFrom("", "zonal"), accessModes, resources: fc.record({ requests: fc.record({ storage: amount }) }) }, { requiredKeys: ["resources"] }),
});

const retention = fc.constantFrom("Retain" as const, "Delete" as const);

export const statefulSet: fc.Arbitrary<StatefulSet> = fc
  .record({
    base: workloadBase,
    policy: fc.constantFrom("OrderedReady" as const, "Parallel" as const),
    updateStrategy: fc.oneof(fc.constant({ type: "OnDelete" as const, partition: 0 }), fc.record({ type: fc.constant("RollingUpdate" as const), partition: fc.nat({ max: 5 }) })),
    claims: fc.array(claimTemplate, { maxLength: 2 }),
    whenDeleted: retention,
    whenScaled: retention,
    serviceName: fc.option(name, { nil: undefined }),
    minReadySeconds: fc.option(fc.nat({ max: 60 }), { nil: undefined }),
    status: statefulSetStatus,
  })
  .map(({ base, policy, updateStrategy, claims, whenDeleted, whenScaled, serviceName, minReadySeconds, status }) => {
    const s: StatefulSet = {
      kind: "StatefulSet",
      metadata: base.metadata,
      spec: {
        replicas: base.replicas, selector: base.selector, template: base.template, podManagementPolicy: policy, updateStrategy,
        volumeClaimTemplates: claims, persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled },
      },
      status,
    };
    if (serviceName !== undefined) s.spec.serviceName = serviceName;
    if (minReadySeconds !== undefined) s.spec.minReadySeconds = minReadySeconds;
    return s;
  });
