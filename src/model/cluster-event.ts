/**
 * Everything that can happen to the cluster, as data. `evolve` folds these into ClusterState; the
 * event log stores them; replay re-folds them. Exogenous events come from outside (user, trace,
 * fault, load); the rest are the cluster's own doing.
 */
import type { OwnedKind, WorkloadKind } from "./deletion.ts";
import type { ConditionStatus, Deployment, DeploymentStatus, Lease, Namespace, Node, OwnerReference, Pod, PodTemplate, ReplicaSet, ReplicaSetStatus, ResourceList, Taint } from "./objects.ts";
import type { Ms } from "./units.ts";
import type { StoredKind, StoredObject, StoredStatus } from "./stored-objects.ts";

/** Why a container stopped that did not exit by itself. */
export type ContainerExitCause = "LivenessProbe" | "StartupProbe" | "OOMKilled";

export type ClusterEvent =
  | { kind: "NamespaceCreated"; namespace: Namespace }
  | { kind: "NodeAdded"; node: Node }
  | { kind: "NodeReadyChanged"; name: string; ready: ConditionStatus }
  | { kind: "NodeTaintsChanged"; name: string; taints: Taint[] }
  | { kind: "NodeCordoned"; name: string; unschedulable: boolean }
  | { kind: "NodeRemoved"; name: string }
  /** A node requested from a node group (the cluster autoscaler's cloud call); it joins with NodeAdded after the provisioning delay. */
  | { kind: "NodeProvisioning"; name: string; pool: string }
  /** A requested node given up before it registered (max-node-provision-time): the machine is released. */
  | { kind: "NodeProvisioningCancelled"; name: string }
  | { kind: "MachineDown"; name: string; reason: string }
  | { kind: "MachineUp"; name: string }
  | { kind: "PodCreated"; pod: Pod }
  | { kind: "PodUnschedulable"; key: string; message: string }
  | { kind: "PodBound"; key: string; nodeName: string }
  | { kind: "PodRunning"; key: string }
  | { kind: "PodReadyChanged"; key: string; ready: boolean }
  | { kind: "PodDeleting"; key: string; reason: string }
  | { kind: "PodFailed"; key: string; reason: string }
  | { kind: "PodRemoved"; key: string }
  /**
   * The kubelet saw a container exit: the pod is not Ready; `phase` is what the restart policy
   * makes of it (Running while it will restart), `backOffMs` the CrashLoopBackOff wait before the
   * restart (0: restarted at once, no waiting reason); `cause` when it did not exit by itself (the
   * kubelet killed it for a failing probe, or the kernel for its memory).
   */
  | { kind: "ContainerExited"; key: string; exitCode: number; phase: "Running" | "Succeeded" | "Failed"; backOffMs: Ms; cause?: ContainerExitCause }
  /**
   * A bound pod's containers wait before they can start: `ContainerCreating` while its images are
   * pulled (`image` the last to arrive, in `pullMs`), `ErrImageNeverPull` when a `Never` image is
   * not on the node (the pod then never starts).
   */
  | { kind: "ContainerWaiting"; key: string; reason: "ContainerCreating" | "ErrImageNeverPull"; image: string; pullMs: Ms }
  /** The kubelet restarted an exited container: restartCount + 1, waiting reason cleared. */
  | { kind: "ContainerRestarted"; key: string }
  /**
   * The kubelet started the pod's init container `index` (spec.initContainers order, one at a
   * time); a sidecar (restartPolicy Always) once it has started (its startup probe passed), which
   * lets the next one start. The pod stays Pending, its app containers waiting PodInitializing.
   * `restart`: a start after it failed (restartCount + 1).
   */
  | { kind: "InitContainerStarted"; key: string; index: number; restart: boolean }
  /**
   * Init container `index` exited: 0 lets the next start; otherwise `phase` Failed (restartPolicy
   * Never) ends the pod, Pending restarts it after `backOffMs` (Init:CrashLoopBackOff).
   */
  | { kind: "InitContainerExited"; key: string; index: number; exitCode: number; phase: "Pending" | "Failed"; backOffMs: Ms }
  | { kind: "ReplicaSetCreated"; replicaSet: ReplicaSet }
  | { kind: "ReplicaSetScaled"; key: string; replicas: number }
  | { kind: "ReplicaSetStatusChanged"; key: string; status: ReplicaSetStatus }
  | { kind: "ReplicaSetRemoved"; key: string }
  /** The ReplicaSet's annotations replaced (the Deployment controller's revision, `deployment.kubernetes.io/revision`). */
  | { kind: "ReplicaSetAnnotated"; key: string; annotations: Record<string, string> }
  | { kind: "DeploymentCreated"; deployment: Deployment }
  | { kind: "DeploymentScaled"; key: string; replicas: number }
  /** A user changed the Deployment's pod template (a rollout: new image, new resources, …). */
  | { kind: "DeploymentTemplateChanged"; key: string; template: PodTemplate }
  /** The status written by the Deployment controller; `annotations` when the same write updates them (its revision). */
  | { kind: "DeploymentStatusChanged"; key: string; status: DeploymentStatus; annotations?: Record<string, string> }
  /** A user paused or resumed the Deployment's rollout (`kubectl rollout pause|resume`). */
  | { kind: "DeploymentPauseChanged"; key: string; paused: boolean }
  /** A user deleted the Deployment (its ReplicaSets go through the garbage collector). */
  | { kind: "DeploymentRemoved"; key: string }
  | { kind: "Fault"; fault: string; target: string; label: string }
  /**
   * A Lease renewed (the kubelet's heartbeat, every 10 s per node: kept small). `lease` is given
   * when the write creates it; later renewals carry only the key and the renew time.
   */
  | { kind: "LeaseRenewed"; key: string; renewTimeMs: Ms; lease?: Lease }
  /** The generic object store (stored-objects.ts): created, replaced whole, status changed, deleted. */
  | { kind: "ObjectCreated"; object: StoredObject }
  | { kind: "ObjectUpdated"; object: StoredObject }
  | { kind: "ObjectStatusChanged"; objectKind: StoredKind; key: string; status: StoredStatus }
  | { kind: "ObjectDeleted"; objectKind: StoredKind; key: string }
  /**
   * A workload's deletion started (a Foreground or Orphan propagation policy, model/deletion.ts):
   * its deletionTimestamp is set (kept when already set) and its finalizers replaced; it stays
   * until the garbage collector removes the finalizer.
   */
  | { kind: "DeletionStarted"; objectKind: WorkloadKind; key: string; finalizers: string[] }
  /** A workload's finalizers replaced (the garbage collector removed its own); never empty on an object being deleted (that is its removal). */
  | { kind: "FinalizersChanged"; objectKind: WorkloadKind; key: string; finalizers: string[] }
  /** An object's ownerReferences replaced (the garbage collector orphaned it, or removed a reference to a gone owner). */
  | { kind: "OwnerReferencesChanged"; objectKind: OwnedKind; key: string; ownerReferences: OwnerReference[] }
  /** A create the api server refused (403 quota, unknown priority class, …): logged, no state change. */
  | { kind: "AdmissionRejected"; key: string; plugin: string; code: number; reason: string; message: string };

export type ClusterEventKind = ClusterEvent["kind"];

/** The object an event is about, "kind/key", for the log's subject column. */
export function eventSubject(event: ClusterEvent): string {
  switch (event.kind) {
    case "NamespaceCreated":
      return `namespace/${event.namespace.metadata.name}`;
    case "NodeAdded":
      return `node/${event.node.metadata.name}`;
    case "NodeReadyChanged":
    case "NodeTaintsChanged":
    case "NodeCordoned":
    case "NodeRemoved":
    case "NodeProvisioning":
    case "NodeProvisioningCancelled":
    case "MachineDown":
    case "MachineUp":
      return `node/${event.name}`;
    case "PodCreated":
      return `pod/${event.pod.metadata.namespace}/${event.pod.metadata.name}`;
    case "PodUnschedulable":
    case "PodBound":
    case "PodRunning":
    case "PodReadyChanged":
    case "PodDeleting":
    case "PodFailed":
    case "PodRemoved":
    case "ContainerExited":
    case "ContainerWaiting":
    case "ContainerRestarted":
    case "InitContainerStarted":
    case "InitContainerExited":
      return `pod/${event.key}`;
    case "ReplicaSetCreated":
      return `replicaset/${event.replicaSet.metadata.namespace}/${event.replicaSet.metadata.name}`;
    case "ReplicaSetScaled":
    case "ReplicaSetStatusChanged":
    case "ReplicaSetRemoved":
    case "ReplicaSetAnnotated":
      return `replicaset/${event.key}`;
    case "DeploymentCreated":
      return `deployment/${event.deployment.metadata.namespace}/${event.deployment.metadata.name}`;
    case "DeploymentScaled":
    case "DeploymentTemplateChanged":
    case "DeploymentStatusChanged":
    case "DeploymentPauseChanged":
    case "DeploymentRemoved":
      return `deployment/${event.key}`;
    case "Fault":
      return event.target;
    case "LeaseRenewed":
      return `lease/${event.key}`;
    case "ObjectCreated":
    case "ObjectUpdated": {
      const m = event.object.metadata;
      return `${event.object.kind.toLowerCase()}/${m.namespace === "" ? m.name : `${m.namespace}/${m.name}`}`;
    }
    case "ObjectStatusChanged":
    case "ObjectDeleted":
      return `${event.objectKind.toLowerCase()}/${event.key}`;
    case "DeletionStarted":
    case "FinalizersChanged":
    case "OwnerReferencesChanged":
      return `${event.objectKind.toLowerCase()}/${event.key}`;
    case "AdmissionRejected":
      return `pod/${event.key}`;
  }
}
