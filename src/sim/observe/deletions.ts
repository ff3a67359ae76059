/**
 * What the summary tells about workload deletions (the Delete fault): per object deleted, the
 * propagation policy it was deleted with, when it was asked and when the object was finally
 * removed (Foreground and Orphan keep it until the garbage collector is done), and for Orphan
 * the dependents it left behind. Fed every applied event by the run observer.
 */
import { eventSubject, type ClusterEvent } from "../../model/cluster-event.ts";
import { foregroundFinalizer, metaOfKind, orphanFinalizer, workloadKinds, type PropagationPolicy } from "../../model/deletion.ts";
import type { ObjectMeta } from "../../model/objects.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { ClusterState } from "../../model/state.ts";
import type { Ms } from "../../model/units.ts";
import type { DeletionSummary } from "../../log/summary-sections.ts";
export type { DeletionSummary };


interface Tracked extends DeletionSummary {
  uid?: string;
  /** Orphan: the objects that named it when its deletion started. */
  dependents?: Set<string>;
}

export class DeletionObservations {
  private readonly pending = new Map<string, Tracked>();
  private readonly done: Tracked[] = [];

  /** Called after `event` was applied to `state` at `atMs`. */
  onApplied(state: ClusterState, event: ClusterEvent, atMs: Ms): void {
    if (this.pending.size === 0 && event.kind !== "Fault") return;
    switch (event.kind) {
      case "Fault":
        // A Delete of something already gone deletes nothing (the driver writes nothing).
        if (event.fault === "Delete" && !this.pending.has(event.target) && exists(state, event.target)) this.pending.set(event.target, { target: event.target, policy: "Background", askedMs: atMs });
        return;
      case "DeletionStarted": {
        const t = this.pending.get(eventSubject(event));
        if (t === undefined) return;
        t.policy = event.finalizers.includes(foregroundFinalizer) ? "Foreground" : event.finalizers.includes(orphanFinalizer) ? "Orphan" : t.policy;
        t.uid = metaOfKind(state, event.objectKind, event.key)?.uid;
        if (t.policy === "Orphan" && t.uid !== undefined) t.dependents = dependentsOf(state, t.uid);
        return;
      }
      case "OwnerReferencesChanged": {
        const subject = eventSubject(event);
        for (const t of this.pending.values()) {
          if (t.dependents?.has(subject) === true && !event.ownerReferences.some((r) => r.uid === t.uid)) (t.orphaned ??= []).push(subject);
        }
        return;
      }
      case "DeploymentRemoved":
      case "ReplicaSetRemoved":
      case "ObjectDeleted": {
        const subject = eventSubject(event);
        const t = this.pending.get(subject);
        if (t === undefined) return;
        t.removedMs = atMs;
        this.pending.delete(subject);
        this.done.push(t);
        return;
      }
      default:
        return;
    }
  }

  summary(): DeletionSummary[] {
    const all = [...this.done, ...this.pending.values()].sort((a, b) => a.askedMs - b.askedMs || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    return all.map(({ uid: _uid, dependents: _dependents, ...s }) => ({ ...s, ...(s.orphaned !== undefined ? { orphaned: [...new Set(s.orphaned)].sort() } : {}) }));
  }
}

/** "kind/ns/name" of every pod and workload whose ownerReferences name the uid (one scan, when an orphaning starts). */
function dependentsOf(state: ClusterState, uid: string): Set<string> {
  const out = new Set<string>();
  const names = (meta: ObjectMeta) => (meta.ownerReferences ?? []).some((r) => r.uid === uid);
  for (const [key, pod] of state.pods) if (names(pod.metadata)) out.add(`pod/${key}`);
  for (const [key, rs] of state.replicaSets) if (names(rs.metadata)) out.add(`replicaset/${key}`);
  for (const kind of workloadKinds) {
    if (kind === "Deployment" || kind === "ReplicaSet") continue;
    for (const [key, object] of storedObjectsOf(state, kind)) if (names(object.metadata)) out.add(`${kind.toLowerCase()}/${key}`);
  }
  return out;
}

/** Whether the workload a Delete fault names ("deployment/ns/name") is in the store. */
function exists(state: ClusterState, target: string): boolean {
  const i = target.indexOf("/");
  const kind = workloadKinds.find((k) => k.toLowerCase() === target.slice(0, i));
  return kind !== undefined && metaOfKind(state, kind, target.slice(i + 1)) !== undefined;
}
