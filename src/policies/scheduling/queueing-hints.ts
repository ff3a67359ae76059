/**
 * Which cluster events may make a pod schedulable again, as each plugin declares it (upstream
 * EnqueueExtensions.EventsToRegister with QueueingHintFn, pkg/scheduler/framework/interface.go).
 * The queue moves a parked pod on an event when one of the plugins that rejected it registered the
 * event and its hint (if any) answers Queue. As upstream (fillEventToPluginMap), a plugin at a point
 * that can reject a pod (PreFilter, Filter, Reserve) that registers nothing is interested in every
 * event; a pod whose rejecting plugins are unknown moves on every event.
 */
import type { ClusterEvent, ClusterEventKind } from "../../model/cluster-event.ts";
import type { ClusterEventRegistration, EnqueueExtensions, Framework, Plugin } from "./framework.ts";

/**
 * Events that may add room or lift a node-level rejection (a node added, changed or back up, a
 * pod gone or going): the in-tree plugins register these, the coarse set the twin has always used.
 * Upstream's per-plugin sets are finer; narrowing them here would change decisions.
 */
export const nodeOrRoomEvents: readonly ClusterEventRegistration[] = Object.freeze(
  (["NodeAdded", "NodeReadyChanged", "NodeTaintsChanged", "NodeCordoned", "MachineUp", "PodRemoved", "PodFailed", "PodDeleting"] as const).map(
    (kind) => ({ kind }),
  ),
);

/** nodeOrRoomEvents plus a pod bound somewhere (it may satisfy an affinity or a spread minimum). */
export const podPlacementEvents: readonly ClusterEventRegistration[] = Object.freeze([...nodeOrRoomEvents, { kind: "PodBound" as const }]);

export function hasEnqueueExtensions(p: Plugin): p is Plugin & EnqueueExtensions {
  return typeof (p as Partial<EnqueueExtensions>).eventsToRegister === "function";
}

/** What the queue consults: per plugin, its registrations by kind; undefined entry: every event. */
export interface QueueingEvents {
  /** Every kind some plugin registered (plus all kinds when one registers nothing). */
  readonly kinds: ReadonlySet<ClusterEventKind> | "all";
  readonly byPlugin: ReadonlyMap<string, ReadonlyMap<ClusterEventKind, readonly ClusterEventRegistration[]> | undefined>;
}

/** The registrations of every plugin that can reject a pod in these frameworks. */
export function queueingEventsOf(frameworks: readonly Framework[]): QueueingEvents {
  const byPlugin = new Map<string, Map<ClusterEventKind, ClusterEventRegistration[]> | undefined>();
  const kinds = new Set<ClusterEventKind>();
  let all = false;
  for (const fw of frameworks) {
    for (const plugin of [...fw.preFilter, ...fw.filter, ...fw.reserve]) {
      if (byPlugin.has(plugin.name)) continue;
      if (!hasEnqueueExtensions(plugin)) {
        byPlugin.set(plugin.name, undefined);
        all = true;
        continue;
      }
      const mine = new Map<ClusterEventKind, ClusterEventRegistration[]>();
      for (const r of plugin.eventsToRegister()) {
        let list = mine.get(r.kind);
        if (list === undefined) mine.set(r.kind, (list = []));
        list.push(r);
        kinds.add(r.kind);
      }
      byPlugin.set(plugin.name, mine);
    }
  }
  return { kinds: all ? "all" : kinds, byPlugin };
}

/** True when the event may concern some plugin (the queue then records a move request). */
export function eventMayHelp(events: QueueingEvents, kind: ClusterEventKind): boolean {
  return events.kinds === "all" || events.kinds.has(kind);
}

/** Whether a pod rejected by `rejectedBy` should leave the unschedulable pool on this event. */
export function shouldRequeue(events: QueueingEvents, rejectedBy: readonly string[], kind: ClusterEventKind, event: ClusterEvent | undefined): boolean {
  if (rejectedBy.length === 0) return true;
  for (const name of rejectedBy) {
    if (!events.byPlugin.has(name)) return true; // not a plugin of these frameworks: unknown, any event may help
    const mine = events.byPlugin.get(name);
    if (mine === undefined) return true;
    for (const r of mine.get(kind) ?? []) if (r.hint === undefined || r.hint(event) === "Queue") return true;
  }
  return false;
}
