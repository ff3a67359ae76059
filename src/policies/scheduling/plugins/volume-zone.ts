/**
 * VolumeZone: a pod whose claim is bound to a zonal PersistentVolume fits only nodes in that
 * volume's zone/region (PV topology labels; "a__b" lists several zones).
 */
import type { CycleState, FilterPlugin, PreFilterPlugin, PreFilterResult } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { skip, status, SUCCESS, type Status } from "../status.ts";
import { boundVolumes, podHasClaims, type BoundVolumes } from "./volume-common.ts";
import { nodeOrRoomEvents } from "../queueing-hints.ts";

export const volumeZoneName = "VolumeZone";
export const errReasonVolumeZone = "node(s) had no available volume zone";

const topologyLabels = [
  "topology.kubernetes.io/zone",
  "topology.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
  "failure-domain.beta.kubernetes.io/region",
];

export function newVolumeZone(): PreFilterPlugin & FilterPlugin {
  const volumesOf = (state: CycleState): BoundVolumes => {
    let v = state.read<BoundVolumes>(volumeZoneName);
    if (v === undefined) {
      v = boundVolumes(state.snapshot.view, state.pod);
      state.write(volumeZoneName, v);
    }
    return v;
  };
  return {
    name: volumeZoneName,
    eventsToRegister: () => nodeOrRoomEvents,
    preFilter(state: CycleState): PreFilterResult {
      if (!podHasClaims(state.pod)) return { status: skip(volumeZoneName) };
      const v = volumesOf(state);
      if (v.kind === "Missing") return { status: status("UnschedulableAndUnresolvable", volumeZoneName, v.reason) };
      return { status: v.volumes.length === 0 ? skip(volumeZoneName) : SUCCESS };
    },
    filter(state: CycleState, node: NodeInfo): Status {
      if (!podHasClaims(state.pod)) return SUCCESS;
      const v = volumesOf(state);
      if (v.kind === "Missing") return status("UnschedulableAndUnresolvable", volumeZoneName, v.reason);
      const nodeLabels = node.node.metadata.labels;
      for (const pv of v.volumes) {
        for (const key of topologyLabels) {
          const pvValue = pv.metadata.labels[key];
          if (pvValue === undefined) continue;
          const nodeValue = nodeLabels[key];
          if (nodeValue === undefined || !pvValue.split("__").includes(nodeValue)) {
            return status("UnschedulableAndUnresolvable", volumeZoneName, errReasonVolumeZone);
          }
        }
      }
      return SUCCESS;
    },
  };
}
