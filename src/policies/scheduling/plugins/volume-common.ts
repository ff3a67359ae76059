/** Shared by the volume plugins: the PersistentVolumes a pod's bound claims point to. */
import type { Pod } from "../../../model/objects.ts";
import type { PersistentVolume } from "../../../model/scheduling-objects.ts";
import type { SchedulingView } from "../snapshot.ts";

export type BoundVolumes = { kind: "Ok"; volumes: PersistentVolume[] } | { kind: "Missing"; reason: string };

export function podHasClaims(pod: Pod): boolean {
  for (const v of pod.spec.volumes ?? []) if (v.persistentVolumeClaim !== undefined) return true;
  return false;
}

/** Bound PVs of the pod's claims; unbound claims are left to dynamic provisioning (any zone). */
export function boundVolumes(view: SchedulingView, pod: Pod): BoundVolumes {
  const volumes: PersistentVolume[] = [];
  for (const v of pod.spec.volumes ?? []) {
    const claimName = v.persistentVolumeClaim?.claimName;
    if (claimName === undefined) continue;
    const claim = view.persistentVolumeClaims?.get(`${pod.metadata.namespace}/${claimName}`);
    if (claim === undefined) return { kind: "Missing", reason: `persistentvolumeclaim "${claimName}" not found` };
    const pvName = claim.spec.volumeName;
    if (pvName === undefined || pvName === "") continue;
    const pv = view.persistentVolumes?.get(pvName);
    if (pv === undefined) return { kind: "Missing", reason: `persistentvolume "${pvName}" not found` };
    volumes.push(pv);
  }
  return { kind: "Ok", volumes };
}
