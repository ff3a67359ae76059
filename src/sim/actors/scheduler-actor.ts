/**
 * The scheduler process: a queue of unbound pods (priority, then age, then key), one scheduling
 * cycle at a time, each binding through the api server and waiting for the bind to commit (so its
 * view never overcommits a node). Unschedulable pods wait until a cluster event that could help
 * (node added/ready/changed, pod removed or failed) or the periodic retry.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Pod } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import type { ApiServer, Watcher, WriteOutcome } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";
import { bindDecision } from "./bind-decision.ts";

const tagCycle = 1;
const tagBound = 2;
const tagRetry = 3;

/** What a scheduling policy answers for one pod. */
export type PlacementResult = { kind: "Bind"; nodeName: string } | { kind: "Unschedulable"; message: string };

export interface PlacementPolicy {
  place(view: ClusterView, pod: Pod, prng: Prng): PlacementResult;
}

export interface SchedulerActorParams {
  cycleMs: Ms;
  unschedulableRetryMs: Ms;
}

export class SchedulerActor implements Actor, Watcher {
  attempts = 0;
  private readonly active: string[] = [];
  private activeSorted = true;
  private readonly queued = new Set<string>();
  private readonly unschedulable = new Map<string, string>(); // key → last message
  private busy = false;
  private retryScheduled = false;
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly policy: PlacementPolicy;
  private readonly prng: Prng;
  private readonly params: SchedulerActorParams;

  constructor(engine: Engine, api: ApiServer, policy: PlacementPolicy, prng: Prng, params: SchedulerActorParams) {
    this.engine = engine;
    this.api = api;
    this.policy = policy;
    this.prng = prng;
    this.params = params;
  }

  onWatch(events: readonly ClusterEvent[]): void {
    let helpful = false;
    for (const event of events) {
      if (event.kind === "PodCreated" && event.pod.spec.nodeName === undefined) {
        this.enqueue(`${event.pod.metadata.namespace}/${event.pod.metadata.name}`);
      } else if (couldFreeRoom(event)) helpful = true;
    }
    if (helpful) this.flushUnschedulable();
    this.kick();
  }

  onEvent(tag: number, data: unknown): void {
    if (tag === tagCycle) this.cycle();
    else if (tag === tagBound) this.onBound(data as WriteOutcome);
    else {
      this.retryScheduled = false;
      this.flushUnschedulable();
      this.kick();
    }
  }

  private enqueue(key: string): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.active.push(key);
    this.activeSorted = false;
  }

  private flushUnschedulable(): void {
    if (this.unschedulable.size === 0) return;
    for (const key of [...this.unschedulable.keys()].sort()) this.enqueue(key);
  }

  private kick(): void {
    if (this.busy || this.active.length === 0) return;
    this.busy = true;
    this.engine.after(this.params.cycleMs, this, tagCycle);
  }

  private cycle(): void {
    const pod = this.popPod();
    if (!pod) {
      this.busy = false;
      return;
    }
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.attempts++;
    const result = this.policy.place(this.api.state, pod, this.prng);
    if (result.kind === "Bind") {
      this.unschedulable.delete(key);
      this.api.execute(bindDecision(this.api.state, key, result.nodeName), { actor: this, tag: tagBound });
      return;
    }
    if (this.unschedulable.get(key) !== result.message) {
      this.api.execute({ kind: "MarkUnschedulable", id: `unsched/${key}/${this.engine.nowMs}`, podKey: key, message: result.message });
    }
    this.unschedulable.set(key, result.message);
    if (!this.retryScheduled) {
      this.retryScheduled = true;
      this.engine.after(this.params.unschedulableRetryMs, this, tagRetry);
    }
    this.next();
  }

  private onBound(outcome: WriteOutcome): void {
    // A conflict means the pod went away or was bound meanwhile; a failed write (control plane
    // unavailable) leaves it unbound, so it goes back into the queue.
    if (!outcome.ok && outcome.event.kind === "PodBound") {
      const pod = this.api.state.pods.get(outcome.event.key);
      if (pod && pod.spec.nodeName === undefined && pod.metadata.deletionMs === undefined) this.enqueue(outcome.event.key);
    }
    this.next();
  }

  private next(): void {
    this.busy = false;
    this.kick();
  }

  /** Highest priority first, then oldest, then key; skips pods bound or deleted meanwhile. */
  private popPod(): Pod | undefined {
    if (!this.activeSorted) {
      const pods = this.api.state.pods;
      this.active.sort((a, b) => comparePods(pods.get(b), pods.get(a), b, a));
      this.activeSorted = true;
    }
    while (this.active.length > 0) {
      const key = this.active.pop() as string;
      this.queued.delete(key);
      const pod = this.api.state.pods.get(key);
      if (pod && pod.spec.nodeName === undefined && pod.metadata.deletionMs === undefined) return pod;
      this.unschedulable.delete(key);
    }
    return undefined;
  }
}

/** Orders a before b when a should be scheduled first. */
function comparePods(a: Pod | undefined, b: Pod | undefined, aKey: string, bKey: string): number {
  const pa = a?.spec.priority ?? 0;
  const pb = b?.spec.priority ?? 0;
  if (pa !== pb) return pb - pa;
  const ca = a?.metadata.creationMs ?? 0;
  const cb = b?.metadata.creationMs ?? 0;
  if (ca !== cb) return ca - cb;
  return aKey < bKey ? -1 : aKey > bKey ? 1 : 0;
}

function couldFreeRoom(event: ClusterEvent): boolean {
  switch (event.kind) {
    case "NodeAdded":
    case "NodeTaintsChanged":
    case "NodeCordoned":
    case "PodRemoved":
    case "PodFailed":
      return true;
    case "ContainerExited":
      return event.phase !== "Running";
    case "InitContainerExited":
      return event.phase === "Failed";
    case "NodeReadyChanged":
      return event.ready === "True";
    default:
      return false;
  }
}
