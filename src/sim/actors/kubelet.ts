/**
 * One kubelet per node: renews its Lease (kube-node-lease/<node>) every heartbeat period, a write
 * that lands only while the control plane serves (a failed renewal is not retried: the next
 * heartbeat renews anyway); starts pods bound to its node
 * after a log-normal start latency (image pull + container start), reports Ready after the
 * readiness delay; finishes deleted pods after a short grace. A machine crash stops it: pending
 * work is dropped (epoch guard) and nothing is written until the machine comes back, when it
 * finalizes pods deleted meanwhile and restarts the rest.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { ApiServer, Watcher, WriteOutcome } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";
import type { SimParameters } from "../plan.ts";
import { nodeLeaseNamespace, type Lease } from "../../model/objects.ts";

const tagHeartbeat = 1;
const tagStart = 2;
const tagReady = 3;
const tagRemove = 4;
const tagRunning = 5;
/** upstream kubelet nodeLeaseDurationSeconds. */
const leaseDurationSeconds = 40;

interface PodTask {
  key: string;
  epoch: number;
}

export class Kubelet implements Actor, Watcher {
  readonly nodeName: string;
  up = true;
  private epoch = 0;
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly prng: Prng;
  private readonly params: SimParameters;

  constructor(engine: Engine, api: ApiServer, nodeName: string, prng: Prng, params: SimParameters) {
    this.engine = engine;
    this.api = api;
    this.nodeName = nodeName;
    this.prng = prng;
    this.params = params;
  }

  start(): void {
    this.renewLease(this.engine.nowMs);
    this.engine.after(this.prng.int(0, this.params.heartbeatPeriodMs), this, tagHeartbeat, this.epoch);
  }

  crash(): void {
    this.up = false;
    this.epoch++;
  }

  recover(): void {
    if (this.up) return;
    this.up = true;
    this.epoch++;
    this.renewLease(this.engine.nowMs);
    this.engine.after(this.params.heartbeatPeriodMs, this, tagHeartbeat, this.epoch);
    this.resync();
  }

  onWatch(events: readonly ClusterEvent[]): void {
    if (!this.up) return;
    for (const event of events) {
      if (event.kind === "PodBound" && event.nodeName === this.nodeName) this.scheduleStart(event.key);
      else if (event.kind === "PodDeleting") this.scheduleRemove(event.key);
    }
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    if (tag === tagHeartbeat) return this.heartbeat(data as number, nowMs);
    if (tag === tagRunning) return this.onRunning(data as WriteOutcome);
    const task = data as PodTask;
    if (task.epoch !== this.epoch || !this.up) return;
    const pod = this.api.state.pods.get(task.key);
    if (!pod || pod.spec.nodeName !== this.nodeName) return;
    const deleting = pod.metadata.deletionMs !== undefined;
    if (tag === tagStart && !deleting) {
      // Readiness counts from the moment the containers are seen running (the write committed),
      // so a zero readiness delay still comes after it.
      this.api.submit({ kind: "PodRunning", key: task.key }, false, { actor: this, tag: tagRunning });
    } else if (tag === tagReady && !deleting && pod.status.phase === "Running" && !pod.status.ready) {
      this.api.submit({ kind: "PodReadyChanged", key: task.key, ready: true }, false);
    } else if (tag === tagRemove) {
      this.api.submit({ kind: "PodRemoved", key: task.key }, false);
    }
  }

  private onRunning(outcome: WriteOutcome): void {
    if (!this.up || outcome.event.kind !== "PodRunning") return;
    if (outcome.ok) this.engine.after(this.params.readinessDelayMs, this, tagReady, { key: outcome.event.key, epoch: this.epoch });
    // Not written (no control plane, or the pod changed): the kubelet reports again a little later.
    else if (outcome.reason !== "pod not found" && outcome.reason !== "pod is being deleted" && outcome.reason !== "pod is terminal") {
      this.engine.after(1000, this, tagStart, { key: outcome.event.key, epoch: this.epoch });
    }
  }

  private heartbeat(epoch: number, nowMs: Ms): void {
    if (epoch !== this.epoch || !this.up) return;
    this.renewLease(nowMs);
    this.engine.after(this.params.heartbeatPeriodMs, this, tagHeartbeat, epoch);
  }

  /** The first renewal creates the lease; later ones only move its renew time. Never retried. */
  private renewLease(nowMs: Ms): void {
    const key = `${nodeLeaseNamespace}/${this.nodeName}`;
    if (this.api.state.leases.has(key)) {
      this.api.submit({ kind: "LeaseRenewed", key, renewTimeMs: nowMs }, false, undefined, { retry: false });
      return;
    }
    const lease: Lease = {
      kind: "Lease",
      metadata: { name: this.nodeName, namespace: nodeLeaseNamespace, uid: `lease-${this.nodeName}`, labels: {}, creationMs: nowMs },
      spec: { holderIdentity: this.nodeName, leaseDurationSeconds, renewTimeMs: nowMs },
    };
    this.api.submit({ kind: "LeaseRenewed", key, renewTimeMs: nowMs, lease }, false, undefined, { retry: false });
  }

  private scheduleStart(key: string): void {
    const delayMs = Math.round(this.prng.logNormal(this.params.podStartMedianMs, this.params.podStartSigma));
    this.engine.after(delayMs, this, tagStart, { key, epoch: this.epoch });
  }

  private scheduleRemove(key: string): void {
    const graceMs = Math.min(this.params.terminationGraceMs, Math.round(this.prng.logNormal(1_000, 0.5)));
    this.engine.after(graceMs, this, tagRemove, { key, epoch: this.epoch });
  }

  /** After a restart: finish pods deleted while down, restart the others (in key order). */
  private resync(): void {
    const keys = [...(this.api.state.podsByNode.get(this.nodeName) ?? [])].sort();
    for (const key of keys) {
      const pod = this.api.state.pods.get(key);
      if (!pod || pod.status.phase === "Succeeded" || pod.status.phase === "Failed") continue;
      if (pod.metadata.deletionMs !== undefined) {
        this.scheduleRemove(key);
        continue;
      }
      // The containers restart with the machine: not ready until they are up again.
      if (pod.status.ready) this.api.submit({ kind: "PodReadyChanged", key, ready: false }, false);
      this.scheduleStart(key);
    }
  }
}
