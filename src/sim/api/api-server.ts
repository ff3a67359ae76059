/**
 * The api-server actor. Every write (a ClusterEvent, or a policy Decision mapped to one) goes
 * through the control-plane store: proposed, committed after the store's latency, then checked
 * against the state (conflicts are expected outcomes), logged, folded with `evolve`, and
 * delivered to watchers after the watch latency in batches. Kubelets get only their node's pods.
 */
import { canonicalJson } from "../../model/canonical.ts";
import { eventSubject, type ClusterEvent } from "../../model/cluster-event.ts";
import type { Decision } from "../../model/decision.ts";
import { evolve } from "../../model/evolve.ts";
import type { ClusterState } from "../../model/state.ts";
import { emptyState } from "../../model/state.ts";
import type { Ms } from "../../model/units.ts";
import type { Actor, Engine } from "../engine.ts";
import type { EventSink } from "../../log/sink.ts";
import type { Pod } from "../../model/objects.ts";
import { evictionAnswer } from "../../policies/admission/eviction.ts";
import { admitPod } from "../../policies/admission/admit-pod.ts";
import { withGeneratedSelector } from "../../model/job.ts";
import type { AdmissionConfig } from "../../policies/admission/types.ts";
import { conflictReason, decisionConflict } from "./preconditions.ts";
import { deletionLanding, finalizerRemoved, ownerReferencesRemoved } from "./workload-deletion.ts";
import { gcFinalizersOf, isWorkloadKind } from "../../model/deletion.ts";
import type { CommitListener, ControlPlaneStore } from "../raft/control-plane-store.ts";

export interface Watcher {
  onWatch(events: readonly ClusterEvent[], nowMs: Ms): void;
}

/** Where a write's outcome goes (synchronously, at commit time). */
export interface Reply {
  actor: Actor;
  tag: number;
}

export interface WriteOutcome {
  ok: boolean;
  reason?: string;
  /** The write's first event (as committed: a create after admission, a delete as it landed). */
  event: ClusterEvent;
  /** The decision the write executes, when it came from a policy. */
  decision?: Decision;
}

/** One write: its events commit together (one store entry) or not at all. */
interface PendingWrite {
  events: ClusterEvent[];
  exogenous: boolean;
  /** Everyone to answer: the caller, and callers of the same decision id while it was in flight. */
  replies: Reply[];
  decision: Decision | undefined;
  /** Retried after a backoff when the store fails it and nobody waits for an answer (client-go's way). */
  retry: boolean;
}

/** How many applied decision ids are remembered for deduplication (oldest forgotten first). */
export const appliedIdsMax = 200_000;

interface WatchChannel {
  watcher: Watcher;
  batch: ClusterEvent[];
  scheduled: boolean;
}

const tagCommit = 1;
const tagDeliver = 2;
const tagRetry = 3;
const tagAnswer = 4;
const retryBackoffMs = 1000;

export interface ApiServerParams {
  watchLatencyMs: Ms;
  /** Ideal store only: time from proposal to commit. */
  commitLatencyMs: Ms;
  admission?: AdmissionConfig;
}

export class ApiServer implements Actor, CommitListener {
  readonly state: ClusterState = emptyState();
  seq = 0;
  conflicts = 0;
  failedWrites = 0;
  rejections = 0;
  /** Decisions executed again by id and not written again. */
  duplicates = 0;
  private readonly inFlightById = new Map<string, PendingWrite>();
  /** Insertion-ordered: the oldest applied ids are forgotten first. */
  private readonly appliedById = new Map<string, WriteOutcome>();
  private writeIdNext = 1;
  private uidNext = 1;
  private readonly pending = new Map<number, PendingWrite>();
  private readonly channels: WatchChannel[] = [];
  private readonly kubeletChannels = new Map<string, WatchChannel>();
  private readonly engine: Engine;
  private readonly sink: EventSink;
  private readonly params: ApiServerParams;
  private store: ControlPlaneStore | undefined;
  /** Probes see every applied event synchronously (metrics, expectations); they never write. */
  private readonly probes: ((event: ClusterEvent, atMs: Ms) => void)[] = [];

  constructor(engine: Engine, sink: EventSink, params: ApiServerParams) {
    this.engine = engine;
    this.sink = sink;
    this.params = params;
  }

  useStore(store: ControlPlaneStore): void {
    this.store = store;
  }

  watch(watcher: Watcher): void {
    this.channels.push({ watcher, batch: [], scheduled: false });
  }

  watchNode(nodeName: string, watcher: Watcher): void {
    this.kubeletChannels.set(nodeName, { watcher, batch: [], scheduled: false });
  }

  probe(fn: (event: ClusterEvent, atMs: Ms) => void): void {
    this.probes.push(fn);
  }

  /** `retry: false`: a write that fails is dropped instead of retried after a backoff (a heartbeat renews anyway). */
  submit(event: ClusterEvent, exogenous: boolean, reply?: Reply, options?: { retry: boolean }): void {
    this.propose({ events: [event], exogenous, replies: reply ? [reply] : [], decision: undefined, retry: options?.retry ?? true });
  }

  private propose(write: PendingWrite): void {
    const writeId = this.writeIdNext++;
    this.pending.set(writeId, write);
    if (this.store) this.store.propose(writeId, 256 * write.events.length);
    else this.engine.after(this.params.commitLatencyMs, this, tagCommit, writeId);
  }

  /**
   * Records a fact of the physical world (machine down/up, a fault marker) at once: it is not an
   * API write, so it does not wait for, or depend on, the control-plane store.
   */
  recordWorldEvent(event: ClusterEvent): void {
    this.apply(event, true, this.engine.nowMs);
  }

  /**
   * Records what the cluster measured of itself (metrics-server's PodMetrics): endogenous, since
   * it depends on the cluster, and outside the control-plane store, as metrics-server keeps its
   * samples in memory and serves them through the aggregated API.
   */
  recordMeasurement(event: ClusterEvent): void {
    this.apply(event, false, this.engine.nowMs);
  }

  /**
   * Executes a policy decision idempotently by its id (DESIGN.md, "Decision ids"): maps it to
   * events (admission for new pods) and submits them as one write. The same id while that write
   * is in flight joins it; the same id after it was applied is answered with the first outcome and
   * writes nothing. An id whose write failed or conflicted may be executed again.
   */
  execute(decision: Decision, reply?: Reply, options?: { exogenous: boolean }): void {
    const inFlight = this.inFlightById.get(decision.id);
    if (inFlight !== undefined) {
      this.duplicates++;
      if (reply) inFlight.replies.push(reply);
      return;
    }
    const applied = this.appliedById.get(decision.id);
    if (applied !== undefined) {
      this.duplicates++;
      if (reply) this.engine.after(0, this, tagAnswer, { reply, outcome: applied });
      return;
    }
    const events = this.eventsFor(decision);
    if (events.length === 0) return;
    // exogenous: a user's request through the same path (kubectl's eviction against the served twin)
    const write: PendingWrite = { events, exogenous: options?.exogenous ?? false, replies: reply ? [reply] : [], decision, retry: true };
    this.inFlightById.set(decision.id, write);
    this.propose(write);
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    if (tag === tagCommit) this.onCommitted(data as number, nowMs);
    else if (tag === tagRetry) this.propose(data as PendingWrite);
    else if (tag === tagAnswer) {
      const { reply, outcome } = data as { reply: Reply; outcome: WriteOutcome };
      reply.actor.onEvent(reply.tag, outcome, nowMs);
    }
    else this.deliver(data as WatchChannel, nowMs);
  }

  onCommitted(writeId: number, atMs: Ms): void {
    const write = this.pending.get(writeId);
    if (!write) return;
    this.pending.delete(writeId);
    const first = write.events[0] as ClusterEvent;
    const reason = writeConflict(this.state, write);
    if (reason !== undefined) {
      this.conflicts++;
      this.answer(write, { ok: false, reason, event: first }, atMs);
      return;
    }
    const events =
      write.decision?.kind === "CreateEviction" ? this.evict(write.decision.podKey, write.exogenous, atMs)
      : write.decision?.kind === "DeleteNode" ? this.deleteNode(write.decision.nodeName)
      : write.decision?.kind === "RemoveFinalizer" ? [finalizerRemoved(this.state, write.decision)]
      : write.decision?.kind === "RemoveOwnerReferences" ? [ownerReferencesRemoved(this.state, write.decision)]
      : write.events.map((e) => this.landing(e, write.exogenous, atMs));
    const landed = events[0] as ClusterEvent;
    if (landed.kind === "AdmissionRejected") {
      this.answer(write, { ok: false, reason: `${landed.code} ${landed.reason}: ${landed.message}`, event: first }, atMs);
      return;
    }
    for (const event of events) this.apply(event, write.exogenous, atMs);
    this.answer(write, { ok: true, event: landed }, atMs);
  }

  /**
   * What a write's event becomes at commit: creates pass admission; deleting a pod that is not on
   * a node, already terminal or with a grace period of 0 removes it at once, as the registry's
   * CheckGracefulDelete does;
   * a Job gets its generated selector; a workload deletion gets the finalizers its policy asks for, or is a removal.
   */
  private landing(event: ClusterEvent, exogenous: boolean, atMs: Ms): ClusterEvent {
    if (event.kind === "PodCreated") return this.admit(event.pod, exogenous, atMs);
    // The Job registry's create (strategy.go generateSelector), now that the uid is known.
    if (event.kind === "ObjectCreated" && event.object.kind === "Job") return { kind: "ObjectCreated", object: withGeneratedSelector(event.object) };
    if (event.kind === "DeletionStarted") return deletionLanding(this.state, event);
    if (event.kind === "PodDeleting") {
      const pod = this.state.pods.get(event.key);
      const terminal = pod !== undefined && (pod.status.phase === "Succeeded" || pod.status.phase === "Failed");
      // A grace period of 0 is no graceful deletion at all (the generic registry's BeforeDelete).
      const immediate = pod !== undefined && (pod.spec.nodeName === undefined || terminal || pod.spec.terminationGracePeriodSeconds === 0);
      if (immediate) return { kind: "PodRemoved", key: event.key };
    }
    return event;
  }

  /**
   * The Eviction API at commit (policies/admission/eviction.ts): an admitted eviction uses up one
   * disruption of the pod's budget (recorded in disruptedPods) and deletes the pod in the same
   * write; a refusal is logged like an admission rejection (429 / 403 / 500) and changes nothing.
   */
  private evict(podKey: string, exogenous: boolean, atMs: Ms): ClusterEvent[] {
    const pod = this.state.pods.get(podKey) as Pod;
    const answer = evictionAnswer(pod, this.state.podDisruptionBudgets.values(), atMs);
    if (!answer.allowed) {
      const reason = answer.httpStatus === 429 ? "TooManyRequests" : answer.httpStatus === 403 ? "Forbidden" : "InternalError";
      const rejected: ClusterEvent = { kind: "AdmissionRejected", key: podKey, plugin: "Eviction", code: answer.httpStatus, reason, message: answer.message };
      this.rejections++;
      this.apply(rejected, exogenous, atMs);
      return [rejected];
    }
    const deleting = this.landing({ kind: "PodDeleting", key: podKey, reason: "Evicted" }, exogenous, atMs);
    if (answer.pdbStatusAfter === undefined || answer.pdb === undefined) return [deleting];
    const key = `${pod.metadata.namespace}/${answer.pdb}`;
    return [{ kind: "ObjectStatusChanged", objectKind: "PodDisruptionBudget", key, status: answer.pdbStatusAfter }, deleting];
  }

  /**
   * A node deletion at commit: the pods still bound to it are removed with it (what the pod
   * garbage collector does for pods of a deleted node: upstream podgc gcOrphaned), then the node;
   * a node that never registered is only released.
   */
  private deleteNode(name: string): ClusterEvent[] {
    if (!this.state.nodes.has(name)) return [{ kind: "NodeProvisioningCancelled", name }];
    const keys = [...(this.state.podsByNode.get(name) ?? [])].filter((key) => this.state.pods.has(key)).sort();
    return [...keys.map((key): ClusterEvent => ({ kind: "PodRemoved", key })), { kind: "NodeRemoved", name }];
  }

  onWriteFailed(writeId: number, reason: string, atMs: Ms): void {
    const write = this.pending.get(writeId);
    if (!write) return;
    this.pending.delete(writeId);
    this.failedWrites++;
    // Callers that asked for a reply decide themselves; the others (kubelets, the scenario) retry
    // like client-go does, after a backoff, as a new write.
    if (write.replies.length > 0) this.answer(write, { ok: false, reason, event: write.events[0] as ClusterEvent }, atMs);
    else if (write.retry) this.engine.after(retryBackoffMs, this, tagRetry, write);
  }

  /** True when the control plane can serve reads and watches now. */
  available(): boolean {
    return this.store?.available() ?? true;
  }

  /**
   * Runs the admission chain at commit time (the state is the one the write lands on). A
   * rejection is logged as an AdmissionRejected record and counted; nothing else changes.
   */
  private admit(pod: Pod, exogenous: boolean, atMs: Ms): ClusterEvent {
    const result = admitPod(this.state, pod, atMs, this.params.admission);
    if (result.kind === "Admitted") return { kind: "PodCreated", pod: result.pod };
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const rejected: ClusterEvent = { kind: "AdmissionRejected", key, plugin: result.plugin, code: result.code, reason: result.reason, message: result.message };
    this.rejections++;
    this.apply(rejected, exogenous, atMs);
    return rejected;
  }

  private answer(write: PendingWrite, outcome: WriteOutcome, atMs: Ms): void {
    if (write.decision !== undefined) {
      outcome.decision = write.decision;
      this.inFlightById.delete(write.decision.id);
      if (outcome.ok) this.rememberApplied(write.decision.id, outcome);
    }
    for (const reply of write.replies) reply.actor.onEvent(reply.tag, outcome, atMs);
  }

  private rememberApplied(id: string, outcome: WriteOutcome): void {
    this.appliedById.set(id, outcome);
    if (this.appliedById.size > appliedIdsMax) {
      const oldest = this.appliedById.keys().next().value as string;
      this.appliedById.delete(oldest);
    }
  }

  private apply(event: ClusterEvent, exogenous: boolean, atMs: Ms): void {
    const seq = this.seq++;
    this.sink.append({ seq, atMs, kind: event.kind, subject: eventSubject(event), payload: canonicalJson(event), exogenous });
    const nodeBefore = podNodeBefore(this.state, event);
    evolve(this.state, event, atMs);
    for (const probe of this.probes) probe(event, atMs);
    for (const channel of this.channels) this.enqueue(channel, event);
    const node = event.kind === "PodBound" ? event.nodeName : nodeBefore;
    const kubelet = node !== undefined ? this.kubeletChannels.get(node) : undefined;
    if (kubelet) this.enqueue(kubelet, event);
  }

  private enqueue(channel: WatchChannel, event: ClusterEvent): void {
    channel.batch.push(event);
    if (channel.scheduled) return;
    channel.scheduled = true;
    this.engine.after(this.params.watchLatencyMs, this, tagDeliver, channel);
  }

  private deliver(channel: WatchChannel, nowMs: Ms): void {
    const batch = channel.batch;
    channel.batch = [];
    channel.scheduled = false;
    channel.watcher.onWatch(batch, nowMs);
  }

  private newUid(kind: string): string {
    return `${kind}-${(this.uidNext++).toString(36).padStart(6, "0")}`;
  }

  /** Assigns uids to objects that arrive without one (the api server's job). */
  assignUid<T extends { metadata: { uid: string } }>(object: T, kind: string): T {
    if (object.metadata.uid === "") object.metadata.uid = this.newUid(kind);
    return object;
  }

  private eventsFor(decision: Decision): ClusterEvent[] {
    switch (decision.kind) {
      case "BindPod":
        return [{ kind: "PodBound", key: decision.podKey, nodeName: decision.nodeName }];
      case "MarkUnschedulable":
        return [{ kind: "PodUnschedulable", key: decision.podKey, message: decision.message }];
      case "CreatePod":
        return [{ kind: "PodCreated", pod: this.assignUid(decision.pod, "pod") }];
      case "DeletePod":
      case "EvictPod":
        return [{ kind: "PodDeleting", key: decision.podKey, reason: decision.reason }];
      case "CreateEviction":
        // Decided at commit against the budgets then (evict()); this is what an admitted eviction writes.
        return [{ kind: "PodDeleting", key: decision.podKey, reason: "Evicted" }];
      case "CreateReplicaSet":
        return [{ kind: "ReplicaSetCreated", replicaSet: this.assignUid(decision.replicaSet, "rs") }];
      case "DeleteReplicaSet":
        if (decision.propagationPolicy !== undefined) return [{ kind: "DeletionStarted", objectKind: "ReplicaSet", key: decision.key, finalizers: gcFinalizersOf(decision.propagationPolicy) }];
        return [{ kind: "ReplicaSetRemoved", key: decision.key }];
      case "ScaleReplicaSet":
        return [{ kind: "ReplicaSetScaled", key: decision.key, replicas: decision.replicas }];
      case "PatchNode": {
        const out: ClusterEvent[] = [];
        if (decision.ready !== undefined) out.push({ kind: "NodeReadyChanged", name: decision.name, ready: decision.ready });
        if (decision.taints !== undefined) out.push({ kind: "NodeTaintsChanged", name: decision.name, taints: decision.taints });
        if (decision.unschedulable !== undefined) out.push({ kind: "NodeCordoned", name: decision.name, unschedulable: decision.unschedulable });
        return out;
      }
      case "MarkPodNotReady":
        return [{ kind: "PodReadyChanged", key: decision.podKey, ready: false }];
      case "UpdateReplicaSetStatus":
        return [{ kind: "ReplicaSetStatusChanged", key: decision.key, status: decision.status }];
      case "UpdateDeploymentStatus":
        return [{ kind: "DeploymentStatusChanged", key: decision.key, status: decision.status, ...(decision.annotations !== undefined ? { annotations: decision.annotations } : {}) }];
      case "AnnotateReplicaSet":
        return [{ kind: "ReplicaSetAnnotated", key: decision.key, annotations: decision.annotations }];
      case "ScaleDeployment":
        return [{ kind: "DeploymentScaled", key: decision.key, replicas: decision.replicas }];
      case "CreateObject":
        return [{ kind: "ObjectCreated", object: this.assignUid(decision.object, decision.object.kind.toLowerCase()) }];
      case "UpdateObject":
        return [{ kind: "ObjectUpdated", object: decision.object }];
      case "UpdateObjectStatus":
        return [{ kind: "ObjectStatusChanged", objectKind: decision.objectKind, key: decision.key, status: decision.status }];
      case "DeleteObject":
        if (decision.propagationPolicy !== undefined && isWorkloadKind(decision.objectKind)) {
          return [{ kind: "DeletionStarted", objectKind: decision.objectKind, key: decision.key, finalizers: gcFinalizersOf(decision.propagationPolicy) }];
        }
        return [{ kind: "ObjectDeleted", objectKind: decision.objectKind, key: decision.key }];
      case "RemoveFinalizer":
        // What it writes is decided at commit (finalizerRemoved()); this is what the write checks against.
        return [{ kind: "FinalizersChanged", objectKind: decision.objectKind, key: decision.key, finalizers: [] }];
      case "RemoveOwnerReferences":
        return [{ kind: "OwnerReferencesChanged", objectKind: decision.objectKind, key: decision.key, ownerReferences: [] }];
      case "ProvisionNode":
        return [{ kind: "NodeProvisioning", name: decision.nodeName, pool: decision.nodeGroup }];
      case "DeleteNode":
        // What it writes is decided at commit (deleteNode()); this is what the write checks against.
        return [this.state.nodes.has(decision.nodeName) ? { kind: "NodeRemoved", name: decision.nodeName } : { kind: "NodeProvisioningCancelled", name: decision.nodeName }];
    }
  }
}

/** A write conflicts when the decision's basis is stale or any of its events no longer applies. */
function writeConflict(state: ClusterState, write: PendingWrite): string | undefined {
  const stale = write.decision !== undefined ? decisionConflict(state, write.decision) : undefined;
  if (stale !== undefined) return stale;
  for (const event of write.events) {
    const reason = conflictReason(state, event);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** The node a pod event concerns, read before the event changes it (PodRemoved loses it). */
function podNodeBefore(state: ClusterState, event: ClusterEvent): string | undefined {
  switch (event.kind) {
    case "PodDeleting":
    case "PodRemoved":
    case "PodReadyChanged":
    case "PodFailed":
    case "ContainerExited":
    case "ContainerRestarted":
    case "InitContainerExited":
      return state.pods.get(event.key)?.spec.nodeName;
    default:
      return undefined;
  }
}
