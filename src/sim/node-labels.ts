/**
 * The labels a real node carries (the kubelet's well-known labels, plus the topology and instance
 * labels a cloud provider adds), so manifests that select on them schedule as in a real cluster:
 * kubernetes.io/hostname, kubernetes.io/os and arch with their deprecated beta.kubernetes.io twins
 * (k8s.io/api/core/v1 well_known_labels.go; the kubelet still sets both), topology.kubernetes.io/
 * zone and region, node.kubernetes.io/instance-type. A pool's own labels override any of them but
 * the hostname and the zone, which the twin assigns node by node.
 */
import type { Labels } from "../model/objects.ts";
import type { NodePoolPlan } from "./plan.ts";

export const defaultNodeOs = "linux";
/** Marks the nodes of a spot pool. */
export const spotLabel = "kubetwin.io/spot";
export const defaultNodeArch = "amd64";

/** A zone's region by the clouds' convention: "us-east1-b" → "us-east1", "eu-west-1a" → "eu-west-1". */
export function regionOfZone(zone: string): string {
  const dashed = /^(.+)-[a-z]$/.exec(zone);
  if (dashed) return dashed[1] as string;
  const lettered = /^(.+\d)[a-z]$/.exec(zone);
  return lettered ? (lettered[1] as string) : zone;
}

export function nodeLabels(pool: NodePoolPlan, name: string, zone: string): Labels {
  const defaults: Labels = {
    "beta.kubernetes.io/arch": defaultNodeArch,
    "beta.kubernetes.io/os": defaultNodeOs,
    "kubernetes.io/arch": defaultNodeArch,
    "kubernetes.io/os": defaultNodeOs,
    "node.kubernetes.io/instance-type": pool.instanceType ?? pool.name,
    "topology.kubernetes.io/region": pool.region ?? regionOfZone(zone),
  };
  const spot: Labels = pool.spot === true ? { [spotLabel]: "true" } : {};
  return { ...defaults, ...spot, ...pool.labels, "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": zone, "kubetwin.io/pool": pool.name };
}
