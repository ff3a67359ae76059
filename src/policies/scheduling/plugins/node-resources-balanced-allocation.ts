/**
 * NodeResourcesBalancedAllocation: favours nodes whose resource fractions (real requests incl. the
 * pod, over allocatable) stay close to each other: score = trunc((1 - std) * 100).
 */
import { perCycle, type CycleState, type PreScorePlugin, type ScorePlugin } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { AllocationScorer, balancedScorer, type ResourceSpec } from "../resource-scoring.ts";
import { skip, SUCCESS, type Status } from "../status.ts";
import { defaultResourceSpecs } from "./node-resources-fit.ts";

export const balancedAllocationName = "NodeResourcesBalancedAllocation";

export interface BalancedAllocationArgs {
  resources?: ResourceSpec[];
}

export const defaultBalancedAllocationArgs: BalancedAllocationArgs = { resources: defaultResourceSpecs };

export function newBalancedAllocation(args: BalancedAllocationArgs): (PreScorePlugin & ScorePlugin) | string[] {
  const resources = args.resources ?? defaultResourceSpecs;
  if (resources.length === 0) return ["resources: Required value"];
  const bad = resources.findIndex((r) => !Number.isInteger(r.weight) || r.weight < 1 || r.weight > 100);
  if (bad >= 0) return [`resources[${bad}].weight: Invalid value: should be in the range [1, 100]`];
  const allocation = new AllocationScorer(resources, balancedScorer, true);

  const podRequests = perCycle<number[]>(balancedAllocationName, (state) => allocation.podRequests(state.pod));

  return {
    name: balancedAllocationName,
    preScore(state: CycleState): Status {
      const r = podRequests(state);
      return r.every((v) => v === 0) ? skip(balancedAllocationName) : SUCCESS;
    },
    score(state: CycleState, node: NodeInfo): number {
      return allocation.score(node, podRequests(state));
    },
    scoreAll(state: CycleState, nodes: readonly NodeInfo[], scores: number[]): void {
      allocation.scoreAll(nodes, podRequests(state), scores);
    },
  };
}
