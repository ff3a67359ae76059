/**
 * NodePorts: the pod's host ports must be free on the node. Same protocol and port conflict when
 * either side binds all addresses (0.0.0.0) or both bind the same address.
 */
import type { CycleState, FilterPlugin, PreFilterPlugin, PreFilterResult } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { podInfoOf, type HostPort } from "../pod-info.ts";
import { skip, status, SUCCESS, type Status } from "../status.ts";
import { nodeOrRoomEvents } from "../queueing-hints.ts";

export const nodePortsName = "NodePorts";
export const errReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";

function conflicts(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.hostIP === "0.0.0.0" || b.hostIP === "0.0.0.0" || a.hostIP === b.hostIP;
}

export function newNodePorts(): PreFilterPlugin & FilterPlugin {
  return {
    name: nodePortsName,
    eventsToRegister: () => nodeOrRoomEvents,
    preFilter(state: CycleState): PreFilterResult {
      return { status: podInfoOf(state.pod).hostPorts.length === 0 ? skip(nodePortsName) : SUCCESS };
    },
    filter(state: CycleState, node: NodeInfo): Status {
      const wanted = podInfoOf(state.pod).hostPorts;
      if (wanted.length === 0) return SUCCESS;
      for (const pod of node.pods) {
        for (const used of podInfoOf(pod).hostPorts) {
          for (const want of wanted) {
            if (conflicts(want, used)) return status("Unschedulable", nodePortsName, errReasonNodePorts);
          }
        }
      }
      return SUCCESS;
    },
  };
}
