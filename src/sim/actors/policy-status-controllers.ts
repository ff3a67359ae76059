/**
 * The status loops for policy objects: the disruption controller (PodDisruptionBudget status) and
 * the resource-quota controller (usage). A watch batch that touches pods, budgets or quotas of a
 * namespace marks it; a sync after the controller delay recomputes and writes what changed.
 */
import { canonicalJson } from "../../model/canonical.ts";
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Ms } from "../../model/units.ts";
import { quotaUsage } from "../../policies/admission/admit-pod.ts";
import { disruptionStatus } from "../../policies/controllers/disruption.ts";
import type { ApiServer, Watcher } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";

export class PolicyStatusControllers implements Actor, Watcher {
  private readonly dirty = new Set<string>();
  private scheduled = false;
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly syncMs: Ms;

  constructor(engine: Engine, api: ApiServer, syncMs: Ms) {
    this.engine = engine;
    this.api = api;
    this.syncMs = syncMs;
  }

  onWatch(events: readonly ClusterEvent[]): void {
    const state = this.api.state;
    if (state.podDisruptionBudgets.size === 0 && state.resourceQuotas.size === 0) return;
    for (const event of events) {
      const ns = namespaceOf(event);
      if (ns !== undefined) this.dirty.add(ns);
    }
    if (this.dirty.size > 0 && !this.scheduled) {
      this.scheduled = true;
      this.engine.after(this.syncMs, this, 0);
    }
  }

  onEvent(): void {
    this.scheduled = false;
    const namespaces = [...this.dirty].sort();
    this.dirty.clear();
    const state = this.api.state;
    for (const [key, pdb] of [...state.podDisruptionBudgets].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (!namespaces.includes(pdb.metadata.namespace)) continue;
      const status = disruptionStatus(state, pdb);
      if (canonicalJson(status) !== canonicalJson(pdb.status)) this.api.submit({ kind: "PodDisruptionBudgetStatusChanged", key, status }, false);
    }
    for (const [key, quota] of [...state.resourceQuotas].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (!namespaces.includes(quota.metadata.namespace)) continue;
      const used = quotaUsage(state, quota);
      if (canonicalJson(used) !== canonicalJson(quota.status.used)) this.api.submit({ kind: "ResourceQuotaStatusChanged", key, used }, false);
    }
  }
}

function namespaceOf(event: ClusterEvent): string | undefined {
  switch (event.kind) {
    case "PodCreated":
      return event.pod.metadata.namespace;
    case "PodReadyChanged":
    case "PodDeleting":
    case "PodFailed":
    case "PodRemoved":
    case "PodRunning":
    case "ReplicaSetScaled":
      return event.key.slice(0, event.key.indexOf("/"));
    case "PolicyObjectCreated":
      return event.object.metadata.namespace || undefined;
    default:
      return undefined;
  }
}
