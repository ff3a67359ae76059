/**
 * The controller-manager's workload loops: Deployment and ReplicaSet controllers. Watch events mark
 * keys dirty; a sync after the controller delay reconciles each dirty key in key order. Like
 * upstream's "expectations", a ReplicaSet with writes still in flight is not reconciled again until
 * they commit, so a stale view never creates or deletes twice.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import { reconcileDeployment } from "../../policies/controllers/deployment.ts";
import { controllerOf } from "../../policies/controllers/ownership.ts";
import { reconcileReplicaSet } from "../../policies/controllers/replicaset.ts";
import type { ApiServer, Watcher, WriteOutcome } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";

const tagSync = 1;
const tagWriteDone = 2;
const tagBackoffOver = 3;
const backoffMsBase = 5;
const backoffMsMax = 1_000_000;

export class WorkloadControllers implements Actor, Watcher {
  private readonly dirtyReplicaSets = new Set<string>();
  private readonly dirtyDeployments = new Set<string>();
  private readonly inflight = new Map<string, number>();
  private readonly batchFailed = new Set<string>();
  private readonly failureStreak = new Map<string, number>();
  private readonly backoffUntil = new Map<string, Ms>();
  private readonly prngs = new Map<string, Prng>();
  /** Informer cache: pod key → owning ReplicaSet key (survives the pod's removal event). */
  private readonly podOwners = new Map<string, string>();
  private syncScheduled = false;
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly prng: Prng;
  private readonly syncMs: Ms;

  constructor(engine: Engine, api: ApiServer, prng: Prng, syncMs: Ms) {
    this.engine = engine;
    this.api = api;
    this.prng = prng;
    this.syncMs = syncMs;
  }

  onWatch(events: readonly ClusterEvent[]): void {
    for (const event of events) this.markDirty(event);
    this.scheduleSync();
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    if (tag === tagSync) return this.sync(nowMs);
    if (tag === tagBackoffOver) {
      this.dirtyReplicaSets.add(data as string);
      return this.scheduleSync();
    }
    const outcome = data as WriteOutcome;
    const rsKey = this.writeOwner(outcome.event);
    if (rsKey === undefined) return;
    if (!outcome.ok) this.batchFailed.add(rsKey);
    const left = (this.inflight.get(rsKey) ?? 1) - 1;
    if (left > 0) {
      this.inflight.set(rsKey, left);
      return;
    }
    this.inflight.delete(rsKey);
    if (this.batchFailed.delete(rsKey)) this.backOff(rsKey, nowMs);
    else {
      this.failureStreak.delete(rsKey);
      this.dirtyReplicaSets.add(rsKey);
      this.scheduleSync();
    }
  }

  /**
   * A batch with a failed write (e.g. creates refused by quota) is retried after an exponential
   * backoff, like the controller's rate-limited workqueue (5 ms doubling, at most 1000 s).
   */
  private backOff(rsKey: string, nowMs: Ms): void {
    const streak = (this.failureStreak.get(rsKey) ?? 0) + 1;
    this.failureStreak.set(rsKey, streak);
    const delayMs = Math.min(backoffMsMax, backoffMsBase * 2 ** Math.min(streak - 1, 30));
    this.backoffUntil.set(rsKey, nowMs + delayMs);
    this.engine.after(delayMs, this, tagBackoffOver, rsKey);
  }

  private markDirty(event: ClusterEvent): void {
    switch (event.kind) {
      case "DeploymentCreated":
        this.dirtyDeployments.add(`${event.deployment.metadata.namespace}/${event.deployment.metadata.name}`);
        return;
      case "DeploymentScaled":
        this.dirtyDeployments.add(event.key);
        return;
      case "ReplicaSetCreated":
      case "ReplicaSetScaled":
      case "ReplicaSetStatusChanged": {
        const key = event.kind === "ReplicaSetCreated" ? `${event.replicaSet.metadata.namespace}/${event.replicaSet.metadata.name}` : event.key;
        if (event.kind !== "ReplicaSetStatusChanged") this.dirtyReplicaSets.add(key);
        const rs = this.api.state.replicaSets.get(key);
        const owner = rs ? controllerOf(rs.metadata) : undefined;
        if (rs && owner?.kind === "Deployment") this.dirtyDeployments.add(`${rs.metadata.namespace}/${owner.name}`);
        return;
      }
      case "PodCreated": {
        const m = event.pod.metadata;
        const owner = controllerOf(m);
        if (owner?.kind !== "ReplicaSet") return;
        const rsKey = `${m.namespace}/${owner.name}`;
        this.podOwners.set(`${m.namespace}/${m.name}`, rsKey);
        this.dirtyReplicaSets.add(rsKey);
        return;
      }
      case "PodRunning":
      case "PodReadyChanged":
      case "PodDeleting":
      case "PodFailed":
      case "PodRemoved": {
        const rsKey = this.podOwners.get(event.key);
        if (rsKey !== undefined) this.dirtyReplicaSets.add(rsKey);
        if (event.kind === "PodRemoved") this.podOwners.delete(event.key);
        return;
      }
      default:
        return;
    }
  }

  private scheduleSync(): void {
    if (this.syncScheduled || (this.dirtyReplicaSets.size === 0 && this.dirtyDeployments.size === 0)) return;
    this.syncScheduled = true;
    this.engine.after(this.syncMs, this, tagSync);
  }

  /** The ReplicaSet a create/delete write was made for. */
  private writeOwner(event: ClusterEvent): string | undefined {
    if (event.kind === "PodCreated") {
      const owner = controllerOf(event.pod.metadata);
      return owner ? `${event.pod.metadata.namespace}/${owner.name}` : undefined;
    }
    // A delete lands as PodRemoved when the pod was not on a node yet.
    return event.kind === "PodDeleting" || event.kind === "PodRemoved" ? this.podOwners.get(event.key) : undefined;
  }

  private sync(nowMs: Ms): void {
    this.syncScheduled = false;
    const deployments = [...this.dirtyDeployments].sort();
    this.dirtyDeployments.clear();
    for (const key of deployments) {
      for (const d of reconcileDeployment(this.api.state, key, nowMs)) this.api.execute(d);
    }
    const replicaSets = [...this.dirtyReplicaSets].sort();
    this.dirtyReplicaSets.clear();
    for (const key of replicaSets) this.syncReplicaSet(key, nowMs);
  }

  private syncReplicaSet(key: string, nowMs: Ms): void {
    if (this.inflight.has(key)) return; // re-marked dirty when the writes commit
    if ((this.backoffUntil.get(key) ?? 0) > nowMs) return; // re-marked dirty when the backoff ends
    let prng = this.prngs.get(key);
    if (!prng) {
      prng = this.prng.fork(`replicaset/${key}`);
      this.prngs.set(key, prng);
    }
    const decisions = reconcileReplicaSet(this.api.state, key, nowMs, prng);
    let writes = 0;
    for (const d of decisions) {
      if (d.kind !== "CreatePod" && d.kind !== "DeletePod") {
        this.api.execute(d);
        continue;
      }
      writes++;
      this.api.execute(d, { actor: this, tag: tagWriteDone });
    }
    if (writes > 0) this.inflight.set(key, writes);
  }
}
