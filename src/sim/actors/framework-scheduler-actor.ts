/**
 * The scheduler process on the kube-scheduler framework: the upstream scheduling queue (active,
 * backoff, unschedulable), one cycle at a time, binds through the api server and waits for the
 * commit; an unschedulable pod is marked, and when preemption found room its victims are evicted
 * and the pod keeps its nominated node. The framework remembers assumed binds, so a bind in
 * flight never lets another pod take the same room.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import {
  add, createSchedulingQueue, done, flush, nextWakeMs, onClusterEvent, onPodUnschedulable, pop, type SchedulingQueue,
} from "../../policies/scheduling/queue.ts";
import { heapPeek } from "../../policies/scheduling/heap.ts";
import { queueingEventsOf } from "../../policies/scheduling/queueing-hints.ts";
import type { Scheduler } from "../../policies/scheduling/scheduler.ts";
import type { ApiServer, Watcher, WriteOutcome } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";
import { bindDecision } from "./bind-decision.ts";

const tagCycle = 1;
const tagBound = 2;
const tagWake = 3;

export class FrameworkSchedulerActor implements Actor, Watcher {
  attempts = 0;
  /** Distinct pods evicted to make room for higher-priority ones. */
  get preemptions(): number {
    return this.victims.size;
  }
  /** Scheduling cycles run in recount mode (caches rebuilt and compared). */
  get recounts(): number {
    return this.scheduler.recounts();
  }
  private readonly victims = new Set<string>();
  private readonly queue: SchedulingQueue;
  private busy = false;
  private wakeAtMs = Infinity;
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly scheduler: Scheduler;
  private readonly prng: Prng;
  private readonly cycleMs: Ms;
  private readonly marked = new Map<string, string>(); // pod key → last unschedulable message written

  constructor(engine: Engine, api: ApiServer, scheduler: Scheduler, prng: Prng, cycleMs: Ms) {
    this.engine = engine;
    this.api = api;
    this.scheduler = scheduler;
    this.prng = prng;
    this.cycleMs = cycleMs;
    // Which events requeue which pods is the plugins' own knowledge (their eventsToRegister).
    this.queue = createSchedulingQueue({ less: scheduler.framework("default-scheduler")?.queueSort.less, events: queueingEventsOf(scheduler.frameworks()) });
  }

  onWatch(events: readonly ClusterEvent[], nowMs: Ms): void {
    for (const event of events) {
      if (event.kind === "PodCreated" && event.pod.spec.nodeName === undefined) {
        const key = `${event.pod.metadata.namespace}/${event.pod.metadata.name}`;
        add(this.queue, { key, priority: event.pod.spec.priority ?? 0 }, nowMs);
      } else {
        if (event.kind === "PodRemoved" || event.kind === "PodBound") this.forgetPod(event.key);
        onClusterEvent(this.queue, event, nowMs);
      }
    }
    this.kick(nowMs);
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    if (tag === tagCycle) this.cycle(nowMs);
    else if (tag === tagBound) this.onBound(data as WriteOutcome, nowMs);
    else {
      this.wakeAtMs = Infinity;
      flush(this.queue, nowMs);
      this.kick(nowMs);
    }
  }

  private forgetPod(key: string): void {
    done(this.queue, key);
    this.marked.delete(key);
  }

  private kick(nowMs: Ms): void {
    if (!this.busy) {
      this.busy = true;
      this.engine.after(this.cycleMs, this, tagCycle);
    }
    const wake = nextWakeMs(this.queue);
    if (wake < this.wakeAtMs && wake !== Infinity) {
      this.wakeAtMs = Math.max(wake, nowMs);
      this.engine.at(this.wakeAtMs, this, tagWake);
    }
  }

  private cycle(nowMs: Ms): void {
    const entry = pop(this.queue, nowMs);
    if (!entry) {
      this.busy = false;
      const wake = nextWakeMs(this.queue);
      if (wake !== Infinity && wake < this.wakeAtMs) {
        this.wakeAtMs = Math.max(wake, nowMs);
        this.engine.at(this.wakeAtMs, this, tagWake);
      }
      return;
    }
    const pod = this.api.state.pods.get(entry.key);
    if (!pod || pod.spec.nodeName !== undefined || pod.metadata.deletionMs !== undefined) {
      done(this.queue, entry.key);
      return this.next(nowMs);
    }
    this.attempts++;
    const result = this.scheduler.scheduleOne(this.api.state, entry.key, this.prng.fork(entry.key));
    if (result.kind === "Bind") {
      this.api.execute(bindDecision(this.api.state, entry.key, result.nodeName), { actor: this, tag: tagBound });
      return;
    }
    onPodUnschedulable(this.queue, entry.key, nowMs, result.explanation.rejectedPlugins);
    if (this.marked.get(entry.key) !== result.message) {
      this.marked.set(entry.key, result.message);
      this.api.execute({ kind: "MarkUnschedulable", id: `unsched/${entry.key}/${nowMs}`, podKey: entry.key, message: result.message });
    }
    for (const victim of result.victims) {
      if (this.victims.has(victim)) continue; // already being evicted
      this.victims.add(victim);
      this.api.execute({ kind: "EvictPod", id: `preempt/${victim}`, podKey: victim, reason: `Preempted by ${entry.key}` });
    }
    this.next(nowMs);
  }

  private onBound(outcome: WriteOutcome, nowMs: Ms): void {
    if (outcome.event.kind === "PodBound") {
      const key = outcome.event.key;
      if (outcome.ok) this.forgetPod(key);
      else {
        // The bind did not land (conflict or no control plane): free the assumed room, try again.
        this.scheduler.forget(key);
        done(this.queue, key);
        const pod = this.api.state.pods.get(key);
        if (pod && pod.spec.nodeName === undefined && pod.metadata.deletionMs === undefined) add(this.queue, { key, priority: pod.spec.priority ?? 0 }, nowMs);
      }
    }
    this.next(nowMs);
  }

  private next(nowMs: Ms): void {
    this.busy = false;
    if (this.hasWork(nowMs)) this.kick(nowMs);
  }

  private hasWork(nowMs: Ms): boolean {
    return nextWakeMs(this.queue) <= nowMs || heapPeek(this.queue.active) !== undefined;
  }
}
