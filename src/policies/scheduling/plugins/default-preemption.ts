/** DefaultPreemption (PostFilter): see ../preemption.ts for the algorithm. */
import type { CycleState, FrameworkHandle, PostFilterPlugin, PostFilterResult } from "../framework.ts";
import { preempt, type DefaultPreemptionArgs } from "../preemption.ts";
import type { Status } from "../status.ts";

export const defaultPreemptionName = "DefaultPreemption";

export function newDefaultPreemption(args: DefaultPreemptionArgs): PostFilterPlugin | string[] {
  const pct = args.minCandidateNodesPercentage ?? 10;
  const abs = args.minCandidateNodesAbsolute ?? 100;
  if (pct < 0 || pct > 100) return ["minCandidateNodesPercentage: Invalid value: not in valid range [0, 100]"];
  if (abs < 0) return ["minCandidateNodesAbsolute: Invalid value: not in valid range [0, inf)"];
  if (pct === 0 && abs === 0) return ["minCandidateNodesPercentage, minCandidateNodesAbsolute: both cannot be zero"];
  return {
    name: defaultPreemptionName,
    postFilter(state: CycleState, filtered: ReadonlyMap<string, Status>, handle: FrameworkHandle): PostFilterResult {
      return preempt(state, filtered, handle, args);
    },
  };
}
