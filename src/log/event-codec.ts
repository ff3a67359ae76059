/**
 * The one decoder of logged events: a record's payload (the canonical JSON of a ClusterEvent) back
 * into the event, checked. The model's TypeScript types are the contract (the simulator writes
 * them); this checks the skeleton that `evolve` and the readers rely on — every field of the event
 * itself, and of each embedded object its kind, metadata and the spec and status fields `evolve`
 * touches — so that a damaged or foreign record is a message naming the record, never a
 * TypeError deep inside a replay. Hand-written checks, not Effect Schema: replay decodes every
 * record of a run, and this stays in the hot loop (Effect stays out of it, DESIGN.md).
 */
import type { ClusterEvent, ClusterEventKind } from "../model/cluster-event.ts";
import { workloadKinds } from "../model/deletion.ts";
import { storedKindList } from "../model/stored-objects.ts";

/** A check returns what is wrong (path first), or undefined. */
type Check = (v: unknown, path: string) => string | undefined;

function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)?.slice(0, 40) ?? ""}`.trim();
}

const expected = (what: string, v: unknown, path: string) => `${path}: expected ${what}, found ${typeName(v)}`;
const str: Check = (v, p) => (typeof v === "string" ? undefined : expected("a string", v, p));
const num: Check = (v, p) => (typeof v === "number" && Number.isFinite(v) ? undefined : expected("a number", v, p));
const bool: Check = (v, p) => (typeof v === "boolean" ? undefined : expected("true or false", v, p));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const obj: Check = (v, p) => (isObject(v) ? undefined : expected("an object", v, p));

function oneOf(values: readonly string[]): Check {
  const set = new Set(values);
  return (v, p) => (typeof v === "string" && set.has(v) ? undefined : expected(`one of ${values.join(", ")}`, v, p));
}

function optional(check: Check): Check {
  return (v, p) => (v === undefined ? undefined : check(v, p));
}

function arrayOf(check: Check): Check {
  return (v, p) => {
    if (!Array.isArray(v)) return expected("an array", v, p);
    for (let i = 0; i < v.length; i++) {
      const problem = check(v[i], `${p}[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

function struct(fields: Record<string, Check>): Check {
  const entries = Object.entries(fields);
  return (v, p) => {
    if (!isObject(v)) return expected("an object", v, p);
    for (const [name, check] of entries) {
      const problem = check(v[name], p === "" ? name : `${p}.${name}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

const literal = (value: string): Check => oneOf([value]);
const condition = oneOf(["True", "False", "Unknown"]);
const meta = struct({ name: str, namespace: str, uid: str, labels: obj, creationMs: num });
const taint = struct({ key: str, effect: oneOf(["NoSchedule", "PreferNoSchedule", "NoExecute"]) });
const podSpec = struct({ schedulerName: str, containers: arrayOf(obj), nodeName: optional(str) });
const template = struct({ labels: obj, spec: podSpec });
const replicaSetStatus = struct({ replicas: num, readyReplicas: num, availableReplicas: num });
const pod = struct({ kind: literal("Pod"), metadata: meta, spec: podSpec, status: struct({ phase: oneOf(["Pending", "Running", "Succeeded", "Failed"]), ready: bool }) });
const node = struct({
  kind: literal("Node"),
  metadata: meta,
  spec: struct({ unschedulable: bool, taints: arrayOf(taint) }),
  status: struct({ capacity: obj, allocatable: obj, ready: condition, readyTransitionMs: num }),
});
const replicaSet = struct({ kind: literal("ReplicaSet"), metadata: meta, spec: struct({ replicas: num, selector: obj, template }), status: replicaSetStatus });
const deployment = struct({ kind: literal("Deployment"), metadata: meta, spec: struct({ replicas: num, selector: obj, template, strategy: obj }), status: replicaSetStatus });
const lease = struct({ kind: literal("Lease"), metadata: meta, spec: struct({ holderIdentity: str, leaseDurationSeconds: num, renewTimeMs: num }) });
const storedKind = oneOf(storedKindList);
const storedObject = struct({ kind: storedKind, metadata: meta });
const workloadKind = oneOf(workloadKinds);
const ownedKind = oneOf([...workloadKinds, "Pod"]);
const ownerReference = struct({ kind: str, name: str, uid: str });

/** Every event kind and the checks of its fields (`kind` itself is checked first). Exhaustive by type. */
const eventFields: Record<ClusterEventKind, Record<string, Check>> = {
  NamespaceCreated: { namespace: struct({ kind: literal("Namespace"), metadata: meta }) },
  NodeAdded: { node },
  NodeReadyChanged: { name: str, ready: condition },
  NodeTaintsChanged: { name: str, taints: arrayOf(taint) },
  NodeCordoned: { name: str, unschedulable: bool },
  NodeRemoved: { name: str },
  NodeProvisioning: { name: str, pool: str },
  NodeProvisioningCancelled: { name: str },
  MachineDown: { name: str, reason: str },
  MachineUp: { name: str },
  PodCreated: { pod },
  PodUnschedulable: { key: str, message: str },
  PodBound: { key: str, nodeName: str },
  PodRunning: { key: str },
  PodReadyChanged: { key: str, ready: bool },
  PodDeleting: { key: str, reason: str },
  PodFailed: { key: str, reason: str },
  PodRemoved: { key: str },
  ContainerExited: { key: str, exitCode: num, phase: oneOf(["Running", "Succeeded", "Failed"]), backOffMs: num, cause: optional(oneOf(["LivenessProbe", "StartupProbe", "OOMKilled"])) },
  ContainerWaiting: { key: str, reason: oneOf(["ContainerCreating", "ErrImageNeverPull"]), image: str, pullMs: num },
  ContainerRestarted: { key: str },
  InitContainerStarted: { key: str, index: num, restart: bool },
  InitContainerExited: { key: str, index: num, exitCode: num, phase: oneOf(["Pending", "Failed"]), backOffMs: num },
  ReplicaSetCreated: { replicaSet },
  ReplicaSetScaled: { key: str, replicas: num },
  ReplicaSetStatusChanged: { key: str, status: replicaSetStatus },
  ReplicaSetRemoved: { key: str },
  ReplicaSetAnnotated: { key: str, annotations: obj },
  DeploymentCreated: { deployment },
  DeploymentScaled: { key: str, replicas: num },
  DeploymentTemplateChanged: { key: str, template },
  DeploymentStatusChanged: { key: str, status: replicaSetStatus, annotations: optional(obj) },
  DeploymentPauseChanged: { key: str, paused: bool },
  DeploymentRemoved: { key: str },
  Fault: { fault: str, target: str, label: str },
  LeaseRenewed: { key: str, renewTimeMs: num, lease: optional(lease) },
  ObjectCreated: { object: storedObject },
  ObjectUpdated: { object: storedObject },
  ObjectStatusChanged: { objectKind: storedKind, key: str, status: obj },
  ObjectDeleted: { objectKind: storedKind, key: str },
  DeletionStarted: { objectKind: workloadKind, key: str, finalizers: arrayOf(str) },
  FinalizersChanged: { objectKind: workloadKind, key: str, finalizers: arrayOf(str) },
  OwnerReferencesChanged: { objectKind: ownedKind, key: str, ownerReferences: arrayOf(ownerReference) },
  AdmissionRejected: { key: str, plugin: str, code: num, reason: str, message: str },
};

const eventChecks = new Map<string, Check>(Object.entries(eventFields).map(([kind, fields]) => [kind, struct(fields)]));

/** Every event kind the log may hold. */
export const eventKinds: ReadonlySet<string> = new Set(Object.keys(eventFields));

/**
 * The event a record's payload holds, or what is wrong with it (one line: the field path and what
 * was expected). `kind` is the record's kind column, which the payload must repeat.
 */
export function decodeEventPayload(kind: string, payload: string): { event: ClusterEvent } | { problem: string } {
  const check = eventChecks.get(kind);
  if (check === undefined) return { problem: `unknown kind ${JSON.stringify(kind.slice(0, 60))}` };
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { problem: "payload is not valid JSON" };
  }
  if (!isObject(value)) return { problem: expected("an object", value, "payload") };
  if (value.kind !== kind) return { problem: `payload.kind: expected ${kind} (the record's kind), found ${typeName(value.kind)}` };
  const problem = check(value, "payload");
  return problem === undefined ? { event: value as unknown as ClusterEvent } : { problem };
}
