/**
 * core/v1 PodSpec and PodTemplateSpec ↔ the model's PodSpec and PodTemplate, with the defaults the
 * API server applies (upstream SetDefaults_PodSpec, SetDefaults_Container): schedulerName
 * "default-scheduler", and a container's requests default to its limits for each resource it
 * limits but does not request. A request above its limit is refused, as upstream validation does.
 * Quantities are integers (cpu in millicores, memory in bytes); a container's probes keep their
 * timing with SetDefaults_Probe's defaults (period 10 s, timeout 1 s, successThreshold 1,
 * failureThreshold 3, initialDelay 0), their handler is dropped; fields the twin does not model
 * (env, volume sources other than claims…) are ignored.
 */
import { Schema, SchemaGetter } from "effect";
import { defaultProbe, type Container, type Probe, type PodSpec, type PodTemplate, type ResourceList, type Toleration } from "../model/objects.ts";
import { modelOf } from "./codec.ts";
import { Count, opt, PositiveCount, StringMap, Strings, Integer } from "./fields.ts";
import { Annotations, Labels } from "./object-names.ts";
import { LabelSelector, NodeSelectorTerm } from "./label-selector.ts";
import { asMutable } from "./mutable.ts";
import { issueAt } from "./problem.ts";
import { formatQuantity, ResourceList as ResourceListCodec, resourceUnit } from "./quantity.ts";

export const defaultSchedulerName = "default-scheduler";

const Weight = Integer.check(Schema.isBetween({ minimum: 1, maximum: 100 }));
const Port = Integer.check(Schema.isBetween({ minimum: 1, maximum: 65535 }));

const NodeAffinity = Schema.Struct({
  requiredDuringSchedulingIgnoredDuringExecution: opt(Schema.Struct({ nodeSelectorTerms: Schema.Array(NodeSelectorTerm) })),
  preferredDuringSchedulingIgnoredDuringExecution: opt(Schema.Array(Schema.Struct({ weight: Weight, preference: NodeSelectorTerm }))),
});

const PodAffinityTerm = Schema.Struct({
  labelSelector: opt(LabelSelector),
  namespaces: opt(Strings),
  namespaceSelector: opt(LabelSelector),
  topologyKey: Schema.NonEmptyString,
  matchLabelKeys: opt(Strings),
  mismatchLabelKeys: opt(Strings),
});

const PodAffinity = Schema.Struct({
  requiredDuringSchedulingIgnoredDuringExecution: opt(Schema.Array(PodAffinityTerm)),
  preferredDuringSchedulingIgnoredDuringExecution: opt(Schema.Array(Schema.Struct({ weight: Weight, podAffinityTerm: PodAffinityTerm }))),
});

const Affinity = Schema.Struct({ nodeAffinity: opt(NodeAffinity), podAffinity: opt(PodAffinity), podAntiAffinity: opt(PodAffinity) });

export const TaintEffect = Schema.Literals(["NoSchedule", "PreferNoSchedule", "NoExecute"]);

const TolerationWire = Schema.Struct({
  key: opt(Schema.String),
  operator: opt(Schema.Literals(["Exists", "Equal"])),
  value: opt(Schema.String),
  // "" means every effect, as in the Kubernetes API; the model leaves it out.
  effect: opt(Schema.Literals(["NoSchedule", "PreferNoSchedule", "NoExecute", ""])),
  tolerationSeconds: opt(Integer),
});

const TolerationCodec = TolerationWire.pipe(
  Schema.decodeTo(modelOf<Toleration>("a toleration"), {
    decode: SchemaGetter.transform(({ effect, ...rest }: typeof TolerationWire.Type): Toleration => (effect === "" || effect === undefined ? { ...rest } : { ...rest, effect })),
    encode: SchemaGetter.transform((t: Toleration) => t),
  }),
);

const Policy = Schema.Literals(["Honor", "Ignore"]);

const TopologySpreadConstraint = Schema.Struct({
  maxSkew: PositiveCount,
  topologyKey: Schema.NonEmptyString,
  whenUnsatisfiable: Schema.Literals(["DoNotSchedule", "ScheduleAnyway"]),
  labelSelector: opt(LabelSelector),
  minDomains: opt(PositiveCount),
  nodeAffinityPolicy: opt(Policy),
  nodeTaintsPolicy: opt(Policy),
  matchLabelKeys: opt(Strings),
});

const ContainerPort = Schema.Struct({
  containerPort: Port,
  hostPort: opt(Port),
  hostIP: opt(Schema.String),
  protocol: opt(Schema.Literals(["TCP", "UDP", "SCTP"])),
});

/** core/v1 Probe: the timing only (httpGet / exec / tcpSocket / grpc are not modelled). */
const ProbeWire = Schema.Struct({
  initialDelaySeconds: opt(Count),
  periodSeconds: opt(PositiveCount),
  timeoutSeconds: opt(PositiveCount),
  successThreshold: opt(PositiveCount),
  failureThreshold: opt(PositiveCount),
  terminationGracePeriodSeconds: opt(PositiveCount),
});

function probeOf(w: typeof ProbeWire.Type): Probe {
  return { ...defaultProbe, ...w };
}

const ContainerWire = Schema.Struct({
  name: Schema.NonEmptyString,
  image: opt(Schema.String),
  resources: opt(Schema.Struct({ requests: opt(ResourceListCodec), limits: opt(ResourceListCodec) })),
  ports: opt(Schema.Array(ContainerPort)),
  imagePullPolicy: opt(Schema.Literals(["Always", "IfNotPresent", "Never"])),
  readinessProbe: opt(ProbeWire),
  livenessProbe: opt(ProbeWire),
  startupProbe: opt(ProbeWire),
  // Of the hook handlers only the sleep action has a length the twin can know.
  lifecycle: opt(Schema.Struct({ preStop: opt(Schema.Struct({ sleep: opt(Schema.Struct({ seconds: Count })) })) })),
  // Only Always (an init container that is a sidecar, KEP-753) is allowed, as upstream's validation says.
  restartPolicy: opt(Schema.Literal("Always")),
}).check(
  Schema.makeFilter((c) => {
    // Upstream validateProbe via validateLivenessProbe / validateStartupProbe / validateReadinessProbe.
    for (const name of ["livenessProbe", "startupProbe"] as const) {
      const threshold = c[name]?.successThreshold;
      if (threshold !== undefined && threshold !== 1) return issueAt([name, "successThreshold"], "must be 1");
    }
    if (c.readinessProbe?.terminationGracePeriodSeconds !== undefined) return issueAt(["readinessProbe", "terminationGracePeriodSeconds"], "must not be set for readinessProbes");
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    for (const name of Object.keys(requests)) {
      const limit = limits[name];
      if (limit !== undefined && (requests[name] as number) > limit) {
        return issueAt(["resources", "requests", name], `the request must not exceed the limit (${formatQuantity(name, limit, resourceUnit(name))})`);
      }
    }
    return true;
  }),
);

type ContainerWire = typeof ContainerWire.Type;

/** Requests default to limits per resource, as the API server defaults them. Keys sorted. */
function withDefaultsFrom(requests: ResourceList, limits: ResourceList): ResourceList {
  const merged: ResourceList = { ...limits, ...requests };
  const out: ResourceList = {};
  for (const name of Object.keys(merged).sort()) out[name] = merged[name] as number;
  return out;
}

function containerOf(w: ContainerWire): Container {
  const limits = { ...w.resources?.limits };
  const container: Container = { name: w.name, requests: withDefaultsFrom({ ...w.resources?.requests }, limits), limits };
  if (w.image !== undefined) container.image = w.image;
  if (w.ports !== undefined) container.ports = asMutable(w.ports);
  // Kept as written: the default (Always for :latest or no tag) is applied where it is used, so pods that never state it hash as before.
  if (w.imagePullPolicy !== undefined) container.imagePullPolicy = w.imagePullPolicy;
  if (w.readinessProbe !== undefined) container.readinessProbe = probeOf(w.readinessProbe);
  if (w.livenessProbe !== undefined) container.livenessProbe = probeOf(w.livenessProbe);
  if (w.startupProbe !== undefined) container.startupProbe = probeOf(w.startupProbe);
  const sleep = w.lifecycle?.preStop?.sleep;
  if (sleep !== undefined) container.preStopSleepSeconds = sleep.seconds;
  if (w.restartPolicy !== undefined) container.restartPolicy = w.restartPolicy;
  return container;
}

function containerWireOf(c: Container): ContainerWire {
  const resources = {
    ...(Object.keys(c.requests).length === 0 ? {} : { requests: c.requests }),
    ...(Object.keys(c.limits).length === 0 ? {} : { limits: c.limits }),
  };
  return {
    name: c.name,
    ...(c.image === undefined ? {} : { image: c.image }),
    ...(Object.keys(resources).length === 0 ? {} : { resources }),
    ...(c.ports === undefined ? {} : { ports: c.ports }),
    ...(c.imagePullPolicy === undefined ? {} : { imagePullPolicy: c.imagePullPolicy }),
    ...(c.readinessProbe === undefined ? {} : { readinessProbe: c.readinessProbe }),
    ...(c.livenessProbe === undefined ? {} : { livenessProbe: c.livenessProbe }),
    ...(c.startupProbe === undefined ? {} : { startupProbe: c.startupProbe }),
    ...(c.preStopSleepSeconds === undefined ? {} : { lifecycle: { preStop: { sleep: { seconds: c.preStopSleepSeconds } } } }),
    ...(c.restartPolicy === undefined ? {} : { restartPolicy: c.restartPolicy }),
  };
}

const ContainerCodec = ContainerWire.pipe(
  Schema.decodeTo(modelOf<Container>("a container"), {
    decode: SchemaGetter.transform(containerOf),
    encode: SchemaGetter.transform(containerWireOf),
  }),
);

const Containers = Schema.Array(ContainerCodec);

const PodSpecWire = Schema.Struct({
  containers: Containers.check(Schema.makeFilter((cs) => cs.length > 0 || "expected at least one container")),
  initContainers: opt(Containers),
  nodeName: opt(Schema.String),
  schedulerName: opt(Schema.String),
  overhead: opt(ResourceListCodec),
  nodeSelector: opt(Labels),
  affinity: opt(Affinity),
  tolerations: opt(Schema.Array(TolerationCodec)),
  topologySpreadConstraints: opt(Schema.Array(TopologySpreadConstraint)),
  priority: opt(Integer),
  priorityClassName: opt(Schema.String),
  preemptionPolicy: opt(Schema.Literals(["PreemptLowerPriority", "Never"])),
  terminationGracePeriodSeconds: opt(Count),
  restartPolicy: opt(Schema.Literals(["Always", "OnFailure", "Never"])),
  volumes: opt(Schema.Array(Schema.Struct({ name: Schema.NonEmptyString, persistentVolumeClaim: opt(Schema.Struct({ claimName: Schema.NonEmptyString })) }))),
  hostNetwork: opt(Schema.Boolean),
  hostname: opt(Schema.String),
  subdomain: opt(Schema.String),
});

type PodSpecWire = typeof PodSpecWire.Type;

/** Empty strings and empty lists read as absent, as the API server's omitempty fields do. */
function podSpecOf(w: PodSpecWire): PodSpec {
  const { containers, initContainers, nodeName, schedulerName, priorityClassName, restartPolicy, ...rest } = asMutable(w);
  const spec: PodSpec = { schedulerName: schedulerName || defaultSchedulerName, containers };
  if (initContainers !== undefined && initContainers.length > 0) spec.initContainers = initContainers;
  if (nodeName) spec.nodeName = nodeName;
  if (priorityClassName) spec.priorityClassName = priorityClassName;
  // Always is the API default: the model leaves it out, so an explicit Always hashes as the default.
  if (restartPolicy !== undefined && restartPolicy !== "Always") spec.restartPolicy = restartPolicy;
  return { ...spec, ...rest };
}

export const PodSpecCodec = PodSpecWire.pipe(
  Schema.decodeTo(modelOf<PodSpec>("a pod spec"), {
    decode: SchemaGetter.transform(podSpecOf),
    encode: SchemaGetter.transform((spec: PodSpec): PodSpecWire => spec),
  }),
);

const PodTemplateWire = Schema.Struct({
  metadata: opt(Schema.Struct({ labels: opt(Labels), annotations: opt(Annotations) })),
  spec: PodSpecCodec,
});

export const PodTemplateCodec = PodTemplateWire.pipe(
  Schema.decodeTo(modelOf<PodTemplate>("a pod template"), {
    decode: SchemaGetter.transform((w: typeof PodTemplateWire.Type): PodTemplate => {
      const template: PodTemplate = { labels: { ...w.metadata?.labels }, spec: w.spec };
      if (w.metadata?.annotations !== undefined) template.annotations = { ...w.metadata.annotations };
      return template;
    }),
    encode: SchemaGetter.transform((t: PodTemplate) => ({
      metadata: { labels: t.labels, ...(t.annotations === undefined ? {} : { annotations: t.annotations }) },
      spec: t.spec,
    })),
  }),
);
