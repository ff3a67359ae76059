/** NodeName: a pod that names a node (spec.nodeName) fits only that node. */
import type { CycleState, FilterPlugin } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { status, SUCCESS, type Status } from "../status.ts";
import { nodeOrRoomEvents } from "../queueing-hints.ts";

export const nodeNameName = "NodeName";
export const errReasonNodeName = "node(s) didn't match the requested node name";

export function newNodeName(): FilterPlugin {
  return {
    name: nodeNameName,
    eventsToRegister: () => nodeOrRoomEvents,
    filter(state: CycleState, node: NodeInfo): Status {
      const wanted = state.pod.spec.nodeName;
      if (wanted === undefined || wanted === "" || wanted === node.name) return SUCCESS;
      return status("UnschedulableAndUnresolvable", nodeNameName, errReasonNodeName);
    },
    filterAll(state: CycleState, nodes: readonly NodeInfo[], rejected: (Status | undefined)[]): void {
      const wanted = state.pod.spec.nodeName;
      if (wanted === undefined || wanted === "") return;
      for (let i = 0; i < nodes.length; i++) {
        if (rejected[i] === undefined && (nodes[i] as NodeInfo).name !== wanted) rejected[i] = status("UnschedulableAndUnresolvable", nodeNameName, errReasonNodeName);
      }
    },
  };
}
