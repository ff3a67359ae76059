/**
 * Why pods could not be scheduled, for the run summary: every pod the scheduler marked
 * unschedulable at least once, grouped by its LAST message (upstream's wording, e.g. "0/15 nodes
 * are available: 3 node(s) didn't match Pod's node affinity/selector, 12 Insufficient cpu."),
 * most pods first, with how many are still Pending at the end and a few of their names.
 */
import type { ClusterState } from "../../model/state.ts";

export interface UnschedulableReason {
  message: string;
  /** Pods whose last scheduling failure said this. */
  pods: number;
  /** Of those, still unbound (and not deleted) at the end of the run. */
  stillPending: number;
  examples: string[];
}

export const reasonsShownMax = 10;
const examplesMax = 3;

export function unschedulableReasons(lastMessage: ReadonlyMap<string, string>, finalState: ClusterState): UnschedulableReason[] {
  const groups = new Map<string, { reason: UnschedulableReason; pending: string[]; others: string[] }>();
  for (const key of [...lastMessage.keys()].sort()) {
    const message = lastMessage.get(key) as string;
    let g = groups.get(message);
    if (!g) {
      g = { reason: { message, pods: 0, stillPending: 0, examples: [] }, pending: [], others: [] };
      groups.set(message, g);
    }
    g.reason.pods++;
    const pod = finalState.pods.get(key);
    const pending = pod !== undefined && pod.spec.nodeName === undefined && pod.metadata.deletionMs === undefined;
    if (pending) g.reason.stillPending++;
    (pending ? g.pending : g.others).push(key);
  }
  // Examples: pods still pending first (they are what the user will look for), in key order.
  for (const g of groups.values()) g.reason.examples = [...g.pending, ...g.others].slice(0, examplesMax);
  return [...groups.values()]
    .map((g) => g.reason)
    .sort((a, b) => b.stillPending - a.stillPending || b.pods - a.pods || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0))
    .slice(0, reasonsShownMax);
}
