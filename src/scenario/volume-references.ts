/**
 * Warnings about storage that cannot work out: a pod (template) that mounts a claim the scenario
 * does not define stays Pending (VolumeBinding: "persistentvolumeclaim not found"), and so does a
 * claim that names a volume the scenario does not define. Warnings, not errors: upstream accepts
 * such objects too, and a scenario may mean to show exactly that.
 */
import { objectKey } from "../model/objects.ts";
import type { PodSpec } from "../model/objects.ts";
import type { WorkloadPlan } from "../sim/plan.ts";

export function volumeWarnings(workloads: readonly WorkloadPlan[]): string[] {
  const claims = new Set<string>();
  const volumes = new Set<string>();
  for (const w of workloads) {
    if (w.kind !== "PolicyObject") continue;
    if (w.object.kind === "PersistentVolumeClaim") claims.add(objectKey(w.object.metadata));
    if (w.object.kind === "PersistentVolume") volumes.add(w.object.metadata.name);
  }
  const warnings: string[] = [];
  for (const w of workloads) {
    const who = `${w.object.kind} ${objectKey(w.object.metadata)}`;
    if (w.kind === "PolicyObject") {
      const volumeName = w.object.kind === "PersistentVolumeClaim" ? w.object.spec.volumeName : undefined;
      if (volumeName !== undefined && !volumes.has(volumeName)) {
        warnings.push(`${who} names PersistentVolume "${volumeName}", which this scenario does not define; pods that mount the claim will stay Pending`);
      }
      continue;
    }
    for (const claim of claimNames(w.kind === "Pod" ? w.object.spec : w.object.spec.template.spec)) {
      if (claims.has(`${w.object.metadata.namespace}/${claim}`)) continue;
      warnings.push(`${who} mounts PersistentVolumeClaim "${claim}", which this scenario does not define in ${w.object.metadata.namespace}; its pods will stay Pending`);
    }
  }
  return warnings;
}

function claimNames(spec: PodSpec): string[] {
  return (spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim === undefined ? [] : [v.persistentVolumeClaim.claimName]));
}
