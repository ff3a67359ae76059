/** Shared fixtures of the cluster autoscaler tests: the default profile's framework, pool nodes, node groups, ReplicaSet pods. */
import type { Node, Pod } from "../../../src/model/objects.ts";
import type { NodeGroupSpec } from "../../../src/policies/autoscaling/cluster-autoscaler/node-groups.ts";
import type { Framework } from "../../../src/policies/scheduling/framework.ts";
import { createScheduler } from "../../../src/policies/scheduling/scheduler.ts";
import { makeNode, makePod } from "../builders.ts";

export const gi = 1024 * 1024 * 1024;
export const framework = createScheduler({ profiles: [] }).framework("default-scheduler") as Framework;

export function poolNode(name: string, pool = "g", cpuMilli = 2000, memory = 8 * gi): Node {
  return makeNode().name(name).label("kubetwin.io/pool", pool).zone("zone-a").allocatable({ cpu: cpuMilli, memory, pods: 110 }).obj();
}

export function group(name: string, o: Partial<NodeGroupSpec> & { cpuMilli?: number; memory?: number } = {}): NodeGroupSpec {
  return {
    name,
    minCount: o.minCount ?? 0,
    maxCount: o.maxCount ?? 10,
    pricePerHour: o.pricePerHour ?? 1,
    initialCount: o.initialCount ?? 0,
    template: o.template ?? ((node: string) => poolNode(node, name, o.cpuMilli ?? 2000, o.memory ?? 8 * gi)),
  };
}

/** A ReplicaSet's pod (controller owner), optionally bound. */
export function rsPod(name: string, cpuMilli: number, node?: string, owner = "rs-1"): Pod {
  const b = makePod().name(name).cpuMilli(cpuMilli).memoryMi(256);
  if (node !== undefined) b.node(node);
  const pod = b.obj();
  pod.metadata.ownerReferences = [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: owner, uid: owner, controller: true }];
  return pod;
}

