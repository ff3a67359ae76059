/**
 * Feeds a scenario's exogenous inputs into the world at their times: workloads arriving, node
 * crashes and recoveries, pod kills, user scaling. Fault choices (which pods a PodKill hits) use
 * the driver's own prng fork, so policies never shift them (common random numbers).
 */
import { assert } from "../../model/assert.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import { selectorMatches } from "../../model/labels.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import { gcFinalizersOf, metaOfKind } from "../../model/deletion.ts";
import type { ApiServer } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";
import type { FaultPlan, NodeTarget, WorkloadPlan } from "../plan.ts";
import type { Kubelet } from "./kubelet.ts";
import type { NodeOperation } from "../../model/node-operation.ts";
import { applyControlPlaneFault } from "../control-plane.ts";
import { provisionerDefaults } from "../../policies/autoscaling/provisioner/node-pool.ts";
import type { RaftStore } from "../raft/raft-store.ts";
import { ownedReplicaSets } from "../../policies/controllers/deployment.ts";
import { rollbackChoice } from "../../policies/controllers/deployment-history.ts";

type Input = { kind: "workload"; plan: WorkloadPlan } | { kind: "fault"; plan: FaultPlan } | { kind: "reclaim"; node: string; label: string };

/** EC2's spot interruption notice (two minutes): the instance is reclaimed this long after it. */
const spotNoticeMs = provisionerDefaults.spotNoticeMs;

export class ScenarioDriver implements Actor {
  private readonly inputs: Input[] = [];
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly kubelets: ReadonlyMap<string, Kubelet>;
  private readonly poolNodes: ReadonlyMap<string, readonly string[]>;
  private readonly prng: Prng;
  private readonly store: RaftStore | undefined;
  private readonly faultStreams = new Map<string, number>();

  constructor(
    engine: Engine,
    api: ApiServer,
    kubelets: ReadonlyMap<string, Kubelet>,
    poolNodes: ReadonlyMap<string, readonly string[]>,
    prng: Prng,
    store: RaftStore | undefined,
  ) {
    this.store = store;
    this.engine = engine;
    this.api = api;
    this.kubelets = kubelets;
    this.poolNodes = poolNodes;
    this.prng = prng;
  }

  start(workloads: readonly WorkloadPlan[], faults: readonly FaultPlan[]): void {
    // Policy objects first: a quota or priority class must exist before the pods that need it.
    for (const plan of workloads) if (plan.kind === "PolicyObject") this.schedule({ kind: "workload", plan }, plan.atMs);
    for (const plan of workloads) if (plan.kind !== "PolicyObject") this.schedule({ kind: "workload", plan }, plan.atMs);
    for (const plan of faults) this.schedule({ kind: "fault", plan }, plan.atMs);
  }

  private schedule(input: Input, atMs: Ms): void {
    this.inputs.push(input);
    this.engine.at(atMs, this, this.inputs.length - 1);
  }

  onEvent(tag: number): void {
    const input = this.inputs[tag] as Input;
    if (input.kind === "workload") this.createWorkload(input.plan);
    else if (input.kind === "reclaim") this.reclaim(input.node, input.label);
    else this.inject(input.plan);
  }

  private createWorkload(plan: WorkloadPlan): void {
    const object = JSON.parse(JSON.stringify(plan.object)) as typeof plan.object;
    object.metadata.creationMs = this.engine.nowMs;
    object.metadata.uid = "";
    switch (plan.kind) {
      case "Deployment":
        return this.api.submit({ kind: "DeploymentCreated", deployment: this.api.assignUid(object as typeof plan.object, "deploy") }, true);
      case "ReplicaSet":
        return this.api.submit({ kind: "ReplicaSetCreated", replicaSet: this.api.assignUid(object as typeof plan.object, "rs") }, true);
      case "Pod":
        return this.api.submit({ kind: "PodCreated", pod: this.api.assignUid(object as typeof plan.object, "pod") }, true);
      case "PolicyObject":
        return this.api.submit({ kind: "ObjectCreated", object: this.api.assignUid(object as typeof plan.object, plan.object.kind.toLowerCase()) }, true);
    }
  }

  private inject(fault: FaultPlan): void {
    switch (fault.kind) {
      case "NodeCrash":
      case "NodeRecover":
        return this.machineFault(fault);
      case "PodKill":
        return this.killPods(fault);
      case "SpotInterruption":
        return this.interruptSpot(fault);
      case "NodeDrain":
      case "NodeCordon":
      case "NodeUncordon":
        return this.requestNodeOperations(fault);
      case "ControlPlaneIsolate":
      case "ControlPlaneHeal":
      case "ControlPlaneCrash":
      case "ControlPlaneRestart":
      case "ControlPlaneSlowDisk":
      case "ControlPlaneClockDrift": {
        // A variant may switch to the ideal store: its control-plane faults then hit nothing.
        const whom = this.store ? applyControlPlaneFault(this.store, fault) : "ideal store (no effect)";
        this.marker(fault.kind, `control-plane/${whom}`, fault.label);
        return;
      }
      case "ScaleWorkload": {
        this.marker(fault.kind, `deployment/${fault.namespace}/${fault.name}`, fault.label);
        const key = `${fault.namespace}/${fault.name}`;
        this.api.submit({ kind: "DeploymentScaled", key, replicas: fault.replicas }, true);
        return;
      }
      case "Delete":
        return this.deleteObject(fault);
      case "Rollout": {
        if (fault.workload === "DaemonSet") return this.rollOutDaemonSet(fault);
        this.marker(fault.kind, `deployment/${fault.namespace}/${fault.name}`, fault.label);
        this.api.submit({ kind: "DeploymentTemplateChanged", key: `${fault.namespace}/${fault.name}`, template: structuredClone(fault.template) }, true);
        return;
      }
      case "RolloutPause":
      case "RolloutResume":
        this.marker(fault.kind, `deployment/${fault.namespace}/${fault.name}`, fault.label);
        this.api.submit({ kind: "DeploymentPauseChanged", key: `${fault.namespace}/${fault.name}`, paused: fault.kind === "RolloutPause" }, true);
        return;
      case "RolloutUndo":
        return this.undoRollout(fault);
    }
  }

  /**
   * `kubectl rollout undo`: reads the Deployment's ReplicaSets now and puts back the template of
   * the revision asked for (rollbackChoice); when kubectl would refuse or skip, the marker says so
   * and nothing is written.
   */
  private undoRollout(fault: Extract<FaultPlan, { kind: "RolloutUndo" }>): void {
    const key = `${fault.namespace}/${fault.name}`;
    const d = this.api.state.deployments.get(key);
    const choice = d === undefined ? { outcome: "refused" as const, message: `deployments.apps "${fault.name}" not found` } : rollbackChoice(d, ownedReplicaSets(this.api.state, d), fault.toRevision);
    if (choice.outcome === "refused") return this.marker(fault.kind, `deployment/${key}`, `${fault.label} (${choice.message})`);
    this.marker(fault.kind, `deployment/${key}`, `${fault.label} (rolled back to revision ${choice.revision})`);
    this.api.submit({ kind: "DeploymentTemplateChanged", key, template: choice.template }, true);
  }

  /**
   * Each fault draws from its own stream, named by what it is (time, kind, label), so a variant
   * that adds or removes a fault does not change what the others choose (common random numbers).
   */
  private faultPrng(fault: FaultPlan): Prng {
    const name = `${fault.atMs}/${fault.kind}/${fault.label}`;
    const seen = (this.faultStreams.get(name) ?? 0) + 1;
    this.faultStreams.set(name, seen);
    return this.prng.fork(`fault/${name}/${seen}`);
  }

  /**
   * `kubectl delete --cascade=<policy>`: the api server removes the object at once (Background) or
   * sets its deletionTimestamp and the garbage collector's finalizer (Foreground, Orphan), decided
   * at commit (api/workload-deletion.ts); a gone one is nothing to delete.
   */
  private deleteObject(fault: Extract<FaultPlan, { kind: "Delete" }>): void {
    const key = `${fault.namespace}/${fault.name}`;
    this.marker(fault.kind, `${fault.objectKind.toLowerCase()}/${key}`, fault.label);
    if (metaOfKind(this.api.state, fault.objectKind, key) === undefined) return;
    this.api.submit({ kind: "DeletionStarted", objectKind: fault.objectKind, key, finalizers: gcFinalizersOf(fault.propagationPolicy) }, true);
  }

  /** A DaemonSet's template change: the object replaced with the new template and the next generation (as an update of spec does). */
  private rollOutDaemonSet(fault: Extract<FaultPlan, { kind: "Rollout" }>): void {
    const key = `${fault.namespace}/${fault.name}`;
    this.marker(fault.kind, `daemonset/${key}`, fault.label);
    const current = storedObjectsOf(this.api.state, "DaemonSet").get(key);
    if (current === undefined) return; // not created yet, or deleted: nothing to roll out
    const updated = structuredClone(current);
    updated.spec.template = structuredClone(fault.template);
    updated.metadata.generation = (current.metadata.generation ?? 1) + 1;
    this.api.submit({ kind: "ObjectUpdated", object: updated }, true);
  }

  private marker(fault: string, target: string, label: string): void {
    this.api.recordWorldEvent({ kind: "Fault", fault, target, label });
  }

  private machineFault(fault: Extract<FaultPlan, { kind: "NodeCrash" | "NodeRecover" }>): void {
    const nodes = this.resolve(fault.target);
    this.marker(fault.kind, targetLabel(fault.target), fault.label);
    for (const name of nodes) {
      const kubelet = this.kubelets.get(name);
      assert(kubelet !== undefined, `fault targets unknown node ${name}`);
      if (fault.kind === "NodeCrash" && kubelet.up) {
        kubelet.crash();
        this.api.recordWorldEvent({ kind: "MachineDown", name, reason: fault.label });
      } else if (fault.kind === "NodeRecover" && !kubelet.up) {
        this.api.recordWorldEvent({ kind: "MachineUp", name });
        kubelet.recover();
      }
    }
  }

  /**
   * The cloud's two-minute notice for spot nodes (a named node, or `count` spot nodes of a pool
   * drawn from the fault's stream), one Fault record per node (what an interruption handler
   * hears), then the instance reclaimed: the machine stops.
   */
  private interruptSpot(fault: Extract<FaultPlan, { kind: "SpotInterruption" }>): void {
    const t = fault.target;
    let nodes: string[];
    if ("node" in t) nodes = this.api.state.nodes.has(t.node) ? [t.node] : [];
    else {
      const spot: string[] = [];
      for (const [name, node] of this.api.state.nodes) {
        const l = node.metadata.labels;
        if (l["kubetwin.io/pool"] === t.pool && (l["karpenter.sh/capacity-type"] === "spot" || l["kubetwin.io/spot"] === "true")) spot.push(name);
      }
      nodes = this.faultPrng(fault).shuffled(spot.sort()).slice(0, t.count).sort();
    }
    if (nodes.length === 0) this.marker(fault.kind, "pool" in t ? `pool/${t.pool}` : `node/${t.node}`, `${fault.label} (no such spot node now)`);
    for (const name of nodes) {
      this.marker(fault.kind, `node/${name}`, fault.label);
      this.schedule({ kind: "reclaim", node: name, label: fault.label }, this.engine.nowMs + spotNoticeMs);
    }
  }

  private reclaim(name: string, label: string): void {
    const kubelet = this.kubelets.get(name);
    if (!this.api.state.nodes.has(name) || kubelet === undefined || !kubelet.up) return;
    kubelet.crash();
    this.api.recordWorldEvent({ kind: "MachineDown", name, reason: `${label} (reclaimed)` });
  }

  /** One NodeOperation object per targeted node; the node-operation controller carries it out. */
  private requestNodeOperations(fault: Extract<FaultPlan, { kind: "NodeDrain" | "NodeCordon" | "NodeUncordon" }>): void {
    this.marker(fault.kind, targetLabel(fault.target), fault.label);
    const operation = fault.kind === "NodeDrain" ? "Drain" : fault.kind === "NodeCordon" ? "Cordon" : "Uncordon";
    for (const node of this.resolve(fault.target)) {
      const object: NodeOperation = {
        kind: "NodeOperation",
        metadata: { name: `${operation.toLowerCase()}-${node}-${fault.atMs}`, namespace: "", uid: "", labels: {}, creationMs: this.engine.nowMs },
        spec: { node, operation, timeoutMs: fault.timeoutMs, force: fault.force },
        status: { phase: "Pending", evicted: 0, refused: 0 },
      };
      this.api.submit({ kind: "ObjectCreated", object: this.api.assignUid(object, "nodeoperation") }, true);
    }
  }

  private resolve(target: NodeTarget): string[] {
    if ("node" in target) return [target.node];
    if ("pool" in target) {
      const name = this.poolNodes.get(target.pool)?.[target.index];
      assert(name !== undefined, `fault targets ${target.pool}[${target.index}], which does not exist`);
      return [name];
    }
    const out: string[] = [];
    for (const [name, node] of this.api.state.nodes) if (node.metadata.labels["topology.kubernetes.io/zone"] === target.zone) out.push(name);
    return out.sort();
  }

  private killPods(fault: Extract<FaultPlan, { kind: "PodKill" }>): void {
    this.marker(fault.kind, `namespace/${fault.namespace}`, fault.label);
    const candidates: string[] = [];
    for (const [key, pod] of this.api.state.pods) {
      // A forced delete also takes pods already terminating (stuck on a lost node: what it is for).
      if (pod.metadata.namespace !== fault.namespace || (pod.metadata.deletionMs !== undefined && fault.force !== true)) continue;
      if (pod.status.phase !== "Running" && pod.status.phase !== "Pending") continue;
      if (selectorMatches({ matchLabels: fault.selector }, pod.metadata.labels)) candidates.push(key);
    }
    candidates.sort();
    for (const key of this.faultPrng(fault).shuffled(candidates).slice(0, fault.count)) {
      // A forced delete skips graceful termination: the kubelet (perhaps on a lost node) is not asked.
      this.api.submit(fault.force === true ? { kind: "PodRemoved", key } : { kind: "PodDeleting", key, reason: "Killed" }, true);
    }
  }
}

function targetLabel(target: NodeTarget): string {
  if ("node" in target) return `node/${target.node}`;
  if ("pool" in target) return `pool/${target.pool}/${target.index}`;
  return `zone/${target.zone}`;
}
