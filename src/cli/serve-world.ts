/**
 * The served world: a cluster state rebuilt from a logged run, moved forward record by record,
 * with the watch history the API server keeps (etcd's window of recent changes). Each record's
 * change becomes watch events (ADDED / MODIFIED / DELETED) for the objects its subject names, as
 * Kubernetes JSON through the one codec, kept in a bounded window; a watch from a version older
 * than the window is answered 410 Gone, as a compacted etcd revision is upstream.
 *
 * The state is this server's own copy. A deletion bumps the served revision (etcd counts a delete
 * as a revision, so a watch resumed at the previous change still hears of it); the model's `evolve`
 * leaves the revision alone on removals, so served versions run ahead of the log's after the first
 * deletion. Objects are encoded when they change and never mutated after: listeners get frozen JSON.
 */
import { evolve } from "../model/evolve.ts";
import type { ClusterState } from "../model/state.ts";
import { decodeRecord, type LogRecord } from "../log/record.ts";
import type { KubeObject } from "../k8s/kinds.ts";
import { encodeServed, resourceOfSubject, type KubeJson, type ServedResource } from "./serve-resources.ts";

export type WatchType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchEvent {
  /** The served revision of this change. */
  revision: number;
  type: WatchType;
  resource: ServedResource;
  object: KubeJson;
}

export type WatchListener = (event: WatchEvent) => void;

const historyMaxDefault = 50_000;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class ServedWorld {
  readonly state: ClusterState;
  private readonly history: WatchEvent[] = [];
  private readonly listeners = new Set<WatchListener>();
  private readonly historyMax: number;
  /** The oldest revision a watch may resume from (anything older is compacted). */
  private compactedRevision: number;

  constructor(state: ClusterState, options: { historyMax?: number } = {}) {
    this.state = state;
    this.historyMax = options.historyMax ?? historyMaxDefault;
    this.compactedRevision = state.revision;
  }

  get revision(): number {
    return this.state.revision;
  }

  get nowMs(): number {
    return this.state.nowMs;
  }

  /**
   * Encoded JSON per model object, valid while its resourceVersion is unchanged (`evolve` mutates
   * objects in place and bumps the version): a list then encodes only what changed since the last one.
   */
  private readonly encoded = new WeakMap<object, { version: number | undefined; json: KubeJson }>();

  private encode(object: KubeObject): KubeJson {
    const cached = this.encoded.get(object);
    if (cached !== undefined && cached.version === object.metadata.resourceVersion) return cached.json;
    const json = deepFreeze(encodeServed(object));
    this.encoded.set(object, { version: object.metadata.resourceVersion, json });
    return json;
  }

  /** Encodes every object once, so that the first lists answer as fast as later ones (the codec costs ~0.1 ms per pod). */
  warm(resources: readonly ServedResource[]): void {
    for (const r of resources) this.list(r);
  }

  /** The current objects of a resource, in key order (etcd's key order); frozen, shared JSON. */
  list(resource: ServedResource): KubeJson[] {
    if (resource.computed !== undefined) return resource.computed(this.state);
    const map = resource.objects?.(this.state);
    if (map === undefined) return [];
    return [...map.keys()].sort().map((k) => this.encode(map.get(k)!));
  }

  get(resource: ServedResource, key: string): KubeJson | undefined {
    if (resource.computed !== undefined) return resource.computed(this.state).find((o) => o.metadata.name === key);
    const object = resource.objects?.(this.state).get(key);
    return object === undefined ? undefined : this.encode(object);
  }

  /** Applies one logged record and tells the watchers what changed. */
  apply(record: LogRecord): void {
    const target = resourceOfSubject(record.subject);
    const map = target?.resource.objects?.(this.state);
    const before = target === undefined ? undefined : map?.get(target.key);
    const versionBefore = before?.metadata.resourceVersion;
    evolve(this.state, decodeRecord(record), record.atMs);
    if (target === undefined || map === undefined) return;
    const after = map.get(target.key);
    if (after === undefined) {
      if (before === undefined) return;
      const revision = ++this.state.revision;
      const object = encodeServed(before);
      object.metadata.resourceVersion = String(revision);
      this.emit({ revision, type: "DELETED", resource: target.resource, object });
      return;
    }
    if (after.metadata.resourceVersion === versionBefore) return;
    this.emit({ revision: this.state.revision, type: before === undefined ? "ADDED" : "MODIFIED", resource: target.resource, object: this.encode(after) });
  }

  private emit(event: WatchEvent): void {
    deepFreeze(event);
    this.history.push(event);
    if (this.history.length > this.historyMax) {
      const dropped = this.history.splice(0, this.history.length - this.historyMax);
      this.compactedRevision = dropped[dropped.length - 1]!.revision;
    }
    for (const listener of this.listeners) listener(event);
  }

  /**
   * The changes after `revision` (in order), or "gone" when some of them were compacted away.
   * A revision ahead of the world is an error upstream too ("too large resource version").
   */
  since(revision: number): WatchEvent[] | "gone" | "future" {
    if (revision < this.compactedRevision) return "gone";
    if (revision > this.state.revision) return "future";
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.history[mid]!.revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  subscribe(listener: WatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Moves the served world forward: the records after the served moment are applied as virtual
 * time passes, `speed` × wall-clock time, up to the end of the run. Speed 0 keeps it paused.
 */
export class ServedClock {
  private timer: ReturnType<typeof setInterval> | undefined;
  private next = 0;

  private readonly world: ServedWorld;
  private readonly records: readonly LogRecord[];
  private readonly endMs: number;
  private readonly speed: number;

  constructor(world: ServedWorld, records: readonly LogRecord[], endMs: number, speed: number) {
    this.world = world;
    this.records = records;
    this.endMs = endMs;
    this.speed = speed;
  }

  start(tickMs = 20): void {
    if (this.speed <= 0) return;
    const startWallMs = Date.now();
    const startMs = this.world.nowMs;
    this.timer = setInterval(() => this.advanceTo(Math.min(this.endMs, startMs + Math.floor((Date.now() - startWallMs) * this.speed))), tickMs);
  }

  /** Applies every record up to `atMs` and sets the world's now there. */
  advanceTo(atMs: number): void {
    while (this.next < this.records.length && this.records[this.next]!.atMs <= atMs) this.world.apply(this.records[this.next++]!);
    if (atMs > this.world.state.nowMs) this.world.state.nowMs = atMs;
    if (this.next >= this.records.length && atMs >= this.endMs) this.stop();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
