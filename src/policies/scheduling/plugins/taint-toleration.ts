/**
 * TaintToleration: Filter rejects nodes with an untolerated NoSchedule/NoExecute taint; Score
 * counts untolerated PreferNoSchedule taints (fewer is better, normalized in reverse).
 *
 * Condition taints: the node lifecycle controller adds node.kubernetes.io/not-ready or
 * unreachable NoSchedule (and NoExecute) taints when Ready leaves True (TaintNodesByCondition), in
 * the same write as the condition. With `conditionTaints` (default on) a node whose Ready is
 * False/Unknown is also treated as carrying the NoSchedule one, so a view holding a NotReady node
 * without its taint (a hand-written explain input, a live cluster mid-update) cannot bind there.
 * The implied taint is skipped only when the node carries that very taint (same key AND effect):
 * a NoExecute taint of the same key, tolerated for 300 s by every pod, does not stand in for it.
 */
import { taintNodeNotReady, taintNodeUnreachable } from "../../../model/node-taints.ts";
import type { Node, Taint, Toleration } from "../../../model/objects.ts";
import { perCycle, type CycleState, type FilterPlugin, type PreScorePlugin, type ScorePlugin, filterEach } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { defaultNormalizeScore } from "../normalize.ts";
import { status, SUCCESS, type Status } from "../status.ts";
import { firstUntoleratedHardTaint, taintTolerated } from "../tolerations.ts";
import { nodeOrRoomEvents } from "../queueing-hints.ts";

export const taintTolerationName = "TaintToleration";
export const errReasonUntoleratedTaint = "node(s) had untolerated taint(s)";

export interface TaintTolerationArgs {
  /** Alpha TaintTolerationComparisonOperators: numeric Gt/Lt tolerations. */
  comparisonOperators?: boolean;
  /** Treat Ready=False/Unknown as the not-ready/unreachable NoSchedule taint (twin default). */
  conditionTaints?: boolean;
}

const notReadyTaint: Taint = { key: taintNodeNotReady, effect: "NoSchedule" };
const unreachableTaint: Taint = { key: taintNodeUnreachable, effect: "NoSchedule" };

function conditionTaint(node: Node): Taint | undefined {
  const ready = node.status.ready;
  if (ready === "True" || ready === undefined) return undefined;
  return ready === "False" ? notReadyTaint : unreachableTaint;
}

function untoleratedPreferNoSchedule(node: NodeInfo, tolerations: readonly Toleration[], comparison: boolean): number {
  let count = 0;
  for (const taint of node.node.spec.taints) {
    if (taint.effect !== "PreferNoSchedule") continue;
    if (!taintTolerated(taint, tolerations, comparison)) count++;
  }
  return count;
}

export function newTaintToleration(args: TaintTolerationArgs): FilterPlugin & PreScorePlugin & ScorePlugin {
  const comparison = args.comparisonOperators ?? false;
  const conditionTaints = args.conditionTaints ?? true;

  const preferTolerations = perCycle<Toleration[]>(taintTolerationName, (state) =>
    (state.pod.spec.tolerations ?? []).filter((x) => x.effect === undefined || (x.effect as string) === "" || x.effect === "PreferNoSchedule"),
  );

  const filter = (state: CycleState, node: NodeInfo): Status => {
    if (!node.tainted && (!conditionTaints || node.readyTrue)) return SUCCESS;
    const taints = node.node.spec.taints;
    const tolerations = state.pod.spec.tolerations;
    if (taints.length > 0 && firstUntoleratedHardTaint(taints, tolerations, comparison) !== undefined) {
      return status("UnschedulableAndUnresolvable", taintTolerationName, errReasonUntoleratedTaint);
    }
    if (conditionTaints) {
      const implied = conditionTaint(node.node);
      const carried = implied !== undefined && taints.some((t) => t.key === implied.key && t.effect === implied.effect);
      if (implied !== undefined && !carried && !taintTolerated(implied, tolerations, comparison)) {
        return status("UnschedulableAndUnresolvable", taintTolerationName, errReasonUntoleratedTaint);
      }
    }
    return SUCCESS;
  };

  return {
    name: taintTolerationName,
    eventsToRegister: () => nodeOrRoomEvents,
    filter,
    filterAll: filterEach(filter),
    preScore(state: CycleState): Status {
      preferTolerations(state);
      return SUCCESS;
    },
    score(state: CycleState, node: NodeInfo): number {
      return node.tainted ? untoleratedPreferNoSchedule(node, preferTolerations(state), comparison) : 0;
    },
    scoreAll(state: CycleState, nodes: readonly NodeInfo[], scores: number[]): void {
      const tolerations = preferTolerations(state);
      for (let i = 0; i < nodes.length; i++) {
        const node = nodes[i] as NodeInfo;
        scores[i] = node.tainted ? untoleratedPreferNoSchedule(node, tolerations, comparison) : 0;
      }
    },
    normalizeScore(_state: CycleState, _nodes: readonly NodeInfo[], scores: number[]): void {
      defaultNormalizeScore(scores, true);
    },
  };
}
