/**
 * NodePool disruption budgets (karpenter.sh docs "Disruption" › NodePool Disruption Budgets;
 * kubernetes-sigs/karpenter pkg/apis/v1 nodepool.go GetAllowedDisruptionsByReason): for each
 * budget, allowed = roundup(total × percentage) (or the count) − nodes being deleted − nodes not
 * Ready; the most restrictive budget wins; never below 0. `total` counts every node the NodePool
 * owns, the ones being deleted included.
 */
import { scaledValue } from "../../controllers/int-or-percent.ts";
import type { DisruptionBudget } from "./node-pool.ts";

export interface NodePoolCounts {
  total: number;
  deleting: number;
  notReady: number;
}

export function allowedDisruptions(budgets: readonly DisruptionBudget[], counts: NodePoolCounts): number {
  let allowed = Infinity;
  for (const b of budgets) {
    const ceiling = typeof b.nodes === "string" && !b.nodes.endsWith("%") ? Number(b.nodes) : scaledValue(b.nodes, counts.total, true);
    allowed = Math.min(allowed, ceiling - counts.deleting - counts.notReady);
  }
  return allowed === Infinity ? counts.total : Math.max(0, allowed);
}
