/**
 * The scheduling queue (upstream PriorityQueue) as plain data and functions: activeQ ordered by the
 * profile's QueueSort (priority, then queue time), backoffQ (1 s doubling to 10 s per attempt),
 * and unschedulable pods parked until a cluster event that could help them, or until they have
 * waited 5 min. Every function takes `nowMs`; nothing reads a clock.
 */
import { assert } from "../../model/assert.ts";
import type { ClusterEvent, ClusterEventKind } from "../../model/cluster-event.ts";
import type { QueuedPodInfo } from "./framework.ts";
import { heapOf, heapPeek, heapPop, heapPush, heapRemoveWhere, type Heap } from "./heap.ts";
import { newPrioritySort } from "./plugins/priority-sort.ts";
import { defaultProfile, mergeProfile } from "./profile.ts";
import { eventMayHelp, queueingEventsOf, shouldRequeue, type QueueingEvents } from "./queueing-hints.ts";
import { buildFramework } from "./registry.ts";

export const initialBackoffMs = 1000;
export const maxBackoffMs = 10_000;
export const podMaxInUnschedulablePodsDurationMs = 300_000;

export interface QueuedPod extends QueuedPodInfo {
  timestampMs: number;
  priority: number;
  /** Scheduling attempts so far (incremented when popped). */
  attempts: number;
  /** The scheduling cycle that popped it last. */
  cycle: number;
  backoffExpiryMs: number;
  unschedulableSinceMs: number;
  /** Plugins that rejected it last time (empty: unknown, any event may help). */
  rejectedBy: readonly string[];
}

export type QueueLocation = "active" | "backoff" | "unschedulable" | "inFlight";

export interface QueueOptions {
  less?: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
  /** The plugins' event registrations (queueingEventsOf the scheduler's frameworks); default: the default profile's. */
  events?: QueueingEvents;
}

export interface SchedulingQueue {
  readonly active: Heap<QueuedPod>;
  readonly backoff: Heap<QueuedPod>;
  readonly unschedulable: Map<string, QueuedPod>;
  readonly pods: Map<string, QueuedPod>;
  readonly where: Map<string, QueueLocation>;
  schedulingCycle: number;
  moveRequestCycle: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxUnschedulableMs: number;
  readonly events: QueueingEvents;
}

let defaultEvents: QueueingEvents | undefined;

/** The in-tree default profile's registrations (built once). */
function defaultQueueingEvents(): QueueingEvents {
  if (defaultEvents !== undefined) return defaultEvents;
  const built = buildFramework(mergeProfile(defaultProfile));
  assert(built.kind === "Ok", "the default profile builds");
  return (defaultEvents = queueingEventsOf([built.framework]));
}

export function createSchedulingQueue(options: QueueOptions = {}): SchedulingQueue {
  const less = options.less ?? newPrioritySort().less;
  return {
    active: heapOf<QueuedPod>(less),
    backoff: heapOf<QueuedPod>((a, b) => a.backoffExpiryMs < b.backoffExpiryMs || (a.backoffExpiryMs === b.backoffExpiryMs && a.key < b.key)),
    unschedulable: new Map(),
    pods: new Map(),
    where: new Map(),
    schedulingCycle: 0,
    moveRequestCycle: -1,
    initialBackoffMs: options.initialBackoffMs ?? initialBackoffMs,
    maxBackoffMs: options.maxBackoffMs ?? maxBackoffMs,
    maxUnschedulableMs: options.podMaxInUnschedulablePodsDurationMs ?? podMaxInUnschedulablePodsDurationMs,
    events: options.events ?? defaultQueueingEvents(),
  };
}

/** upstream calculateBackoffDuration: initial, doubled per further attempt, capped. */
export function backoffDurationMs(q: SchedulingQueue, attempts: number): number {
  let d = q.initialBackoffMs;
  for (let i = 1; i < attempts; i++) {
    if (d > q.maxBackoffMs - d) return q.maxBackoffMs;
    d += d;
  }
  return Math.min(d, q.maxBackoffMs);
}

/** A new pending pod (PodCreated, or a pod that lost its node binding). No-op if already queued. */
export function add(q: SchedulingQueue, pod: { key: string; priority: number }, nowMs: number): void {
  if (q.pods.has(pod.key)) return;
  const entry: QueuedPod = {
    key: pod.key, priority: pod.priority, timestampMs: nowMs, attempts: 0, cycle: -1,
    backoffExpiryMs: nowMs, unschedulableSinceMs: -1, rejectedBy: [],
  };
  q.pods.set(pod.key, entry);
  toActive(q, entry);
}

/** The next pod to schedule (after moving pods whose backoff has expired), or undefined. */
export function pop(q: SchedulingQueue, nowMs: number): QueuedPod | undefined {
  flushBackoffCompleted(q, nowMs);
  const entry = heapPop(q.active);
  if (entry === undefined) return undefined;
  q.schedulingCycle++;
  entry.cycle = q.schedulingCycle;
  entry.attempts++;
  q.where.set(entry.key, "inFlight");
  return entry;
}

/**
 * The popped pod did not fit. If a cluster event arrived while it was being scheduled it goes to
 * backoff (the event may have helped); otherwise it waits in unschedulable for a useful event.
 */
export function onPodUnschedulable(q: SchedulingQueue, key: string, nowMs: number, rejectedBy: readonly string[] = []): void {
  const entry = q.pods.get(key);
  assert(entry !== undefined && q.where.get(key) === "inFlight", `pod ${key} is not being scheduled`);
  entry.timestampMs = nowMs;
  entry.rejectedBy = rejectedBy;
  entry.backoffExpiryMs = nowMs + backoffDurationMs(q, entry.attempts);
  if (q.moveRequestCycle >= entry.cycle) toBackoff(q, entry);
  else {
    entry.unschedulableSinceMs = nowMs;
    q.unschedulable.set(key, entry);
    q.where.set(key, "unschedulable");
  }
}

/** The popped pod hit an error (e.g. its bind write failed): retry after backoff. */
export function onPodError(q: SchedulingQueue, key: string, nowMs: number): void {
  const entry = q.pods.get(key);
  assert(entry !== undefined && q.where.get(key) === "inFlight", `pod ${key} is not being scheduled`);
  entry.timestampMs = nowMs;
  entry.backoffExpiryMs = nowMs + backoffDurationMs(q, entry.attempts);
  toBackoff(q, entry);
}

/** The pod is bound or deleted: forget it wherever it is. */
export function done(q: SchedulingQueue, key: string): void {
  const where = q.where.get(key);
  if (where === undefined) return;
  if (where === "active") heapRemoveWhere(q.active, (e) => e.key === key);
  else if (where === "backoff") heapRemoveWhere(q.backoff, (e) => e.key === key);
  else if (where === "unschedulable") q.unschedulable.delete(key);
  q.where.delete(key);
  q.pods.delete(key);
}

/**
 * A cluster event that may make parked pods schedulable (node added or changed, pod deleted…):
 * moves the pods whose rejecting plugins registered it (and whose hints say Queue) to active, or
 * to backoff while their backoff has not expired. The event itself lets hints look at it; a bare
 * kind is enough when no hint needs more.
 */
export function onClusterEvent(q: SchedulingQueue, event: ClusterEvent | ClusterEventKind, nowMs: number): void {
  const kind = typeof event === "string" ? event : event.kind;
  const seen = typeof event === "string" ? undefined : event;
  if (!eventMayHelp(q.events, kind)) return;
  q.moveRequestCycle = q.schedulingCycle;
  const moving: QueuedPod[] = [];
  for (const entry of q.unschedulable.values()) if (shouldRequeue(q.events, entry.rejectedBy, kind, seen)) moving.push(entry);
  moving.sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const entry of moving) moveOut(q, entry, nowMs);
}

/** Periodic housekeeping: expired backoffs to active; pods parked longer than 5 min are retried. */
export function flush(q: SchedulingQueue, nowMs: number): void {
  flushBackoffCompleted(q, nowMs);
  const stale = [...q.unschedulable.values()].filter((e) => nowMs - e.unschedulableSinceMs >= q.maxUnschedulableMs);
  stale.sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const entry of stale) moveOut(q, entry, nowMs);
}

/** When the queue next has something to do on its own (a backoff expiring, a stale pod), or Infinity. */
export function nextWakeMs(q: SchedulingQueue): number {
  let t = heapPeek(q.backoff)?.backoffExpiryMs ?? Infinity;
  for (const e of q.unschedulable.values()) t = Math.min(t, e.unschedulableSinceMs + q.maxUnschedulableMs);
  return t;
}

export function queueSizes(q: SchedulingQueue): { active: number; backoff: number; unschedulable: number; inFlight: number } {
  return {
    active: q.active.items.length,
    backoff: q.backoff.items.length,
    unschedulable: q.unschedulable.size,
    inFlight: q.pods.size - q.active.items.length - q.backoff.items.length - q.unschedulable.size,
  };
}

function moveOut(q: SchedulingQueue, entry: QueuedPod, nowMs: number): void {
  q.unschedulable.delete(entry.key);
  if (entry.backoffExpiryMs > nowMs) toBackoff(q, entry);
  else toActive(q, entry);
}

function toActive(q: SchedulingQueue, entry: QueuedPod): void {
  heapPush(q.active, entry);
  q.where.set(entry.key, "active");
}

function toBackoff(q: SchedulingQueue, entry: QueuedPod): void {
  heapPush(q.backoff, entry);
  q.where.set(entry.key, "backoff");
}

function flushBackoffCompleted(q: SchedulingQueue, nowMs: number): void {
  for (let top = heapPeek(q.backoff); top !== undefined && top.backoffExpiryMs <= nowMs; top = heapPeek(q.backoff)) {
    heapPop(q.backoff);
    toActive(q, top);
  }
}
