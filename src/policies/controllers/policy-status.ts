/**
 * The status loops for policy objects, in the one controller pattern (../controller.ts): the
 * disruption controller (PodDisruptionBudget status, pkg/controller/disruption) and the resource
 * quota controller (usage, pkg/controller/resourcequota). Keys are the budgets and quotas of the
 * namespace an event touches; each reconcile recomputes one object and writes what changed.
 * Neither remembers anything between calls.
 */
import { canonicalJson } from "../../model/canonical.ts";
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { ClusterView } from "../../model/view.ts";
import { quotaUsage } from "../admission/admit-pod.ts";
import { reconciled, type Controller } from "../controller.ts";
import { disruptionRecheckMs, disruptionStatus } from "./disruption.ts";

/** The namespace whose budgets or quotas an event may change. */
function namespaceOf(event: ClusterEvent): string | undefined {
  switch (event.kind) {
    case "PodCreated":
      return event.pod.metadata.namespace;
    case "PodReadyChanged":
    case "PodDeleting":
    case "PodFailed":
    case "PodRemoved":
    case "PodRunning":
    case "ContainerExited":
    case "ReplicaSetScaled":
    case "DeploymentScaled":
      return event.key.slice(0, event.key.indexOf("/"));
    case "ObjectCreated":
      return event.object.metadata.namespace || undefined;
    default:
      return undefined;
  }
}

function keysIn(map: ReadonlyMap<string, { metadata: { namespace: string } }>, namespace: string | undefined): string[] {
  if (namespace === undefined || map.size === 0) return [];
  const out: string[] = [];
  for (const [key, object] of map) if (object.metadata.namespace === namespace) out.push(key);
  return out;
}

type NoState = Record<string, never>;

export const disruptionController: Controller<NoState> = {
  name: "disruption",
  initialState: () => ({}),
  observe: (view: ClusterView, state, event) => ({ state, keys: keysIn(view.podDisruptionBudgets, namespaceOf(event)) }),
  reconcile(view, state, key, nowMs) {
    const pdb = view.podDisruptionBudgets.get(key);
    if (pdb === undefined) return reconciled(state);
    const status = disruptionStatus(view, pdb, nowMs);
    // An admitted eviction stops counting against the budget after DeletionTimeout: look again then.
    const recheckMs = disruptionRecheckMs(status);
    const requeue = recheckMs === undefined ? [] : [{ key, afterMs: Math.max(1, recheckMs - nowMs + 1) }];
    if (canonicalJson(status) === canonicalJson(pdb.status)) return reconciled(state, [], requeue);
    const version = pdb.metadata.resourceVersion ?? 0;
    return reconciled(state, [{ kind: "UpdateObjectStatus", id: `pdb-status/${key}/${version}`, objectKind: "PodDisruptionBudget", key, status, basedOnVersion: version }], requeue);
  },
  onResult: (_view, state) => reconciled(state),
};

export const resourceQuotaController: Controller<NoState> = {
  name: "resourcequota",
  initialState: () => ({}),
  observe: (view: ClusterView, state, event) => ({ state, keys: keysIn(view.resourceQuotas, namespaceOf(event)) }),
  reconcile(view, state, key) {
    const quota = view.resourceQuotas.get(key);
    if (quota === undefined) return reconciled(state);
    const used = quotaUsage(view, quota);
    if (canonicalJson(used) === canonicalJson(quota.status.used)) return reconciled(state);
    const version = quota.metadata.resourceVersion ?? 0;
    const status = { hard: { ...quota.spec.hard }, used };
    return reconciled(state, [{ kind: "UpdateObjectStatus", id: `quota-status/${key}/${version}`, objectKind: "ResourceQuota", key, status, basedOnVersion: version }]);
  },
  onResult: (_view, state) => reconciled(state),
};
