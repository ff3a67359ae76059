/**
 * A recording: what the observed cluster does, written into the event log as ClusterEvents (the
 * records every reader folds: replay, digest, report, serve), each marked exogenous or endogenous
 * (recorded-changes.ts). Virtual time is the offset from the start of the recording (`nowMs`,
 * the wall clock in the CLI), and so are the cluster's own timestamps in the objects
 * (recorded-times.ts); what the cluster held when it was first listed is recorded at 0,
 * owners before what they own. The session keeps its own state, folded with the same `evolve`, so
 * each change is diffed against what a reader of the log will have rebuilt.
 */
import type { KubeObject } from "../k8s/kinds.ts";
import { canonicalJson } from "../model/canonical.ts";
import { eventSubject } from "../model/cluster-event.ts";
import { evolve } from "../model/evolve.ts";
import { emptyState, snapshotOf, type ClusterState } from "../model/state.ts";
import type { Ms } from "../model/units.ts";
import type { EventSink } from "../log/sink.ts";
import { eventsOfChange } from "./recorded-changes.ts";
import { rebaseTimes } from "./recorded-times.ts";
import type { LiveChange, LiveCluster } from "./live-cluster.ts";
import { modelledResources } from "./rest-names.ts";

export interface RecordCounts {
  exogenous: number;
  endogenous: number;
  /** Changes no event carries (named in `unrecordedSamples`). */
  unrecorded: number;
  /** Objects the codec refused (not recorded). */
  refused: number;
  /** Lease renewals (heartbeats), not recorded. */
  heartbeats: number;
}

/** Kinds in the order the first list is recorded: owners (namespaces, nodes, workloads) before pods. */
const initialOrder = [...modelledResources.map((r) => r.kind).filter((k) => k !== "Pod"), "Pod"];
const unrecordedSamplesMax = 20;

export class RecordSession {
  readonly state: ClusterState = emptyState();
  readonly counts: RecordCounts = { exogenous: 0, endogenous: 0, unrecorded: 0, refused: 0, heartbeats: 0 };
  readonly unrecordedSamples: string[] = [];
  private readonly sink: EventSink;
  private readonly nowMs: () => Ms;
  private seq = 0;
  private lastMs = 0;
  private stopped = false;
  private snapshotSeq = 0;
  private readonly originUnixMs: number;

  /**
   * `nowMs`: the recording's clock (ms since its start); `originUnixMs`: the unix time of its start,
   * by which the cluster's own timestamps are moved onto that clock (0: left as they are). The
   * cluster has listed once (LiveCluster.start).
   */
  constructor(cluster: LiveCluster, sink: EventSink, nowMs: () => Ms, originUnixMs = 0) {
    this.sink = sink;
    this.nowMs = nowMs;
    this.originUnixMs = originUnixMs;
    for (const kind of initialOrder) {
      for (const [key, object] of [...(cluster.objects.get(kind) ?? new Map<string, KubeObject>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) this.write(kind, key, object, 0);
      this.counts.refused += cluster.refused.get(kind)?.size ?? 0;
    }
    cluster.on((c) => this.onChange(c));
  }

  get records(): number {
    return this.seq;
  }

  /** The virtual time the recording has reached. */
  get atMs(): Ms {
    return this.lastMs;
  }

  /**
   * Writes what was recorded so far with a snapshot of the state after it (the sink flushes both
   * together): a recording killed later keeps a checkable prefix, and replay starts near any moment.
   */
  checkpoint(): void {
    if (this.seq === this.snapshotSeq) return;
    this.snapshotSeq = this.seq;
    this.sink.snapshot(this.seq - 1, this.lastMs, snapshotOf(this.state));
  }

  /** No record after this (the informers may still be stopping). */
  stop(): void {
    this.stopped = true;
  }

  private onChange(c: LiveChange): void {
    if (this.stopped) return;
    if (c.type !== "deleted" && c.object === undefined) {
      this.counts.refused++;
      return;
    }
    // never before the last record: the wall clock may step back
    this.lastMs = Math.max(this.lastMs, Math.floor(this.nowMs()));
    this.write(c.kind, c.key, c.type === "deleted" ? undefined : c.object, this.lastMs);
  }

  private write(kind: string, key: string, object: KubeObject | undefined, atMs: Ms): void {
    // a copy: the informer's objects are never changed (and frozen in debug mode)
    const rebased = object === undefined || this.originUnixMs === 0 ? object : rebaseTimes(structuredClone(object), this.originUnixMs);
    const { events, unrecorded, heartbeat } = eventsOfChange(this.state, kind, key, rebased);
    if (heartbeat) this.counts.heartbeats++;
    for (const { event, exogenous } of events) {
      // serialized before evolve takes the event's objects into the state
      this.sink.append({ seq: this.seq++, atMs, kind: event.kind, subject: eventSubject(event), payload: canonicalJson(event), exogenous });
      evolve(this.state, event, atMs);
      if (exogenous) this.counts.exogenous++;
      else this.counts.endogenous++;
    }
    this.counts.unrecorded += unrecorded.length;
    for (const u of unrecorded) if (this.unrecordedSamples.length < unrecordedSamplesMax) this.unrecordedSamples.push(u);
  }
}
