/**
 * VolumeBinding, reduced to bound claims: the node must satisfy each bound PersistentVolume's
 * required node affinity. Unbound claims are assumed provisionable on any node
 * (WaitForFirstConsumer), which the twin does not model further.
 */
import type { CycleState, FilterPlugin, PreFilterPlugin, PreFilterResult } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { anyTermMatches } from "../node-selector.ts";
import { skip, status, SUCCESS, type Status } from "../status.ts";
import { boundVolumes, podHasClaims, type BoundVolumes } from "./volume-common.ts";
import { nodeOrRoomEvents } from "../queueing-hints.ts";

export const volumeBindingName = "VolumeBinding";
export const errReasonVolumeNodeAffinity = "node(s) had volume node affinity conflict";

export function newVolumeBinding(): PreFilterPlugin & FilterPlugin {
  const volumesOf = (state: CycleState): BoundVolumes => {
    let v = state.read<BoundVolumes>(volumeBindingName);
    if (v === undefined) {
      v = boundVolumes(state.snapshot.view, state.pod);
      state.write(volumeBindingName, v);
    }
    return v;
  };
  return {
    name: volumeBindingName,
    eventsToRegister: () => nodeOrRoomEvents,
    preFilter(state: CycleState): PreFilterResult {
      if (!podHasClaims(state.pod)) return { status: skip(volumeBindingName) };
      const v = volumesOf(state);
      if (v.kind === "Missing") return { status: status("UnschedulableAndUnresolvable", volumeBindingName, v.reason) };
      return { status: v.volumes.some((pv) => pv.spec.nodeAffinity?.required !== undefined) ? SUCCESS : skip(volumeBindingName) };
    },
    filter(state: CycleState, node: NodeInfo): Status {
      if (!podHasClaims(state.pod)) return SUCCESS;
      const v = volumesOf(state);
      if (v.kind === "Missing") return status("UnschedulableAndUnresolvable", volumeBindingName, v.reason);
      for (const pv of v.volumes) {
        const required = pv.spec.nodeAffinity?.required;
        if (required !== undefined && !anyTermMatches(required.nodeSelectorTerms, node.node)) {
          return status("UnschedulableAndUnresolvable", volumeBindingName, errReasonVolumeNodeAffinity);
        }
      }
      return SUCCESS;
    },
  };
}
