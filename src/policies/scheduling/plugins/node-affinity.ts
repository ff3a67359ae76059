/**
 * NodeAffinity: Filter on nodeSelector AND required node affinity (plus the profile's
 * addedAffinity); Score = Σ weights of matched preferred terms, normalized so the best is 100.
 */
import type { NodeAffinity, NodeSelectorTerm } from "../../../model/objects.ts";
import type { CycleState, FilterPlugin, PreFilterPlugin, PreFilterResult, PreScorePlugin, ScorePlugin } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { anyTermMatches, podRequiredNodeAffinityMatches, preFilterNodeNames, termMatches } from "../node-selector.ts";
import { defaultNormalizeScore } from "../normalize.ts";
import { skip, status, SUCCESS, type Status } from "../status.ts";
import { nodeOrRoomEvents } from "../queueing-hints.ts";

export const nodeAffinityName = "NodeAffinity";
export const errReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";

export interface NodeAffinityArgs {
  addedAffinity?: NodeAffinity;
}

interface Preferred {
  readonly weight: number;
  readonly preference: NodeSelectorTerm;
}

export function newNodeAffinity(args: NodeAffinityArgs): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const addedRequired = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const addedPreferred = args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];

  const preferredOf = (state: CycleState): Preferred[] => {
    let p = state.read<Preferred[]>(nodeAffinityName);
    if (p === undefined) {
      p = [...(state.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []), ...addedPreferred];
      state.write(nodeAffinityName, p);
    }
    return p;
  };

  return {
    name: nodeAffinityName,
    eventsToRegister: () => nodeOrRoomEvents,
    preFilter(state: CycleState): PreFilterResult {
      const spec = state.pod.spec;
      const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? undefined;
      const hasSelector = spec.nodeSelector !== undefined && Object.keys(spec.nodeSelector).length > 0;
      if (required === undefined && !hasSelector && addedRequired === undefined) return { status: skip(nodeAffinityName) };
      const names = required === undefined ? undefined : preFilterNodeNames(required.nodeSelectorTerms);
      if (names !== undefined && names.size === 0) {
        return { status: status("UnschedulableAndUnresolvable", nodeAffinityName, errReasonNodeAffinity) };
      }
      return names === undefined ? { status: SUCCESS } : { status: SUCCESS, nodeNames: names };
    },
    filter(state: CycleState, node: NodeInfo): Status {
      if (addedRequired !== undefined && !anyTermMatches(addedRequired, node.node)) {
        return status("UnschedulableAndUnresolvable", nodeAffinityName, errReasonNodeAffinity);
      }
      if (!podRequiredNodeAffinityMatches(state.pod, node.node)) {
        return status("UnschedulableAndUnresolvable", nodeAffinityName, errReasonNodeAffinity);
      }
      return SUCCESS;
    },
    preScore(state: CycleState): Status {
      return preferredOf(state).length === 0 ? skip(nodeAffinityName) : SUCCESS;
    },
    score(state: CycleState, node: NodeInfo): number {
      let sum = 0;
      for (const term of preferredOf(state)) {
        if (term.weight !== 0 && termMatches(term.preference, node.node.metadata.labels, node.node)) sum += term.weight;
      }
      return sum;
    },
    normalizeScore(_state: CycleState, _nodes: readonly NodeInfo[], scores: number[]): void {
      defaultNormalizeScore(scores, false);
    },
  };
}
