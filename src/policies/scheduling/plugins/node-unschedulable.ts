/** NodeUnschedulable: a cordoned node only takes pods tolerating node.kubernetes.io/unschedulable. */
import type { Taint } from "../../../model/objects.ts";
import type { CycleState, FilterPlugin } from "../framework.ts";
import { filterEach } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { status, SUCCESS, type Status } from "../status.ts";
import { taintTolerated } from "../tolerations.ts";
import { nodeOrRoomEvents } from "../queueing-hints.ts";

export const nodeUnschedulableName = "NodeUnschedulable";
export const errReasonUnschedulable = "node(s) were unschedulable";
const unschedulableTaint: Taint = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" };

function filter(state: CycleState, node: NodeInfo): Status {
  if (!node.unschedulable) return SUCCESS;
  if (taintTolerated(unschedulableTaint, state.pod.spec.tolerations, false)) return SUCCESS;
  return status("UnschedulableAndUnresolvable", nodeUnschedulableName, errReasonUnschedulable);
}

export function newNodeUnschedulable(): FilterPlugin {
  return {
    name: nodeUnschedulableName,
    eventsToRegister: () => nodeOrRoomEvents,
    filter,
    filterAll: filterEach(filter),
  };
}
