/**
 * Node groups as the cluster autoscaler sees them (upstream cloudprovider.NodeGroup): a name,
 * min and max size, a template node for new machines, a price. Nodes belong to the group named by
 * their `kubetwin.io/pool` label.
 */
import type { Node } from "../../../model/objects.ts";
import type { ClusterView } from "../../../model/view.ts";

export const poolLabel = "kubetwin.io/pool";

export interface NodeGroupSpec {
  name: string;
  minCount: number;
  maxCount: number;
  pricePerHour: number;
  /** Nodes the group starts with (named `<group>-0` … `<group>-<initialCount-1>`; new ones continue the count). */
  initialCount: number;
  /** The node a machine of this group would register as, under `name` (upstream TemplateNodeInfo), at `index` of the group. */
  template(name: string, index: number): Node;
}

export function groupOfNode(node: Node, groups: ReadonlyMap<string, NodeGroupSpec>): NodeGroupSpec | undefined {
  const name = node.metadata.labels[poolLabel];
  return name === undefined ? undefined : groups.get(name);
}

/** Registered nodes per group, by name. */
export function registeredNodes(view: ClusterView, groups: ReadonlyMap<string, NodeGroupSpec>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of groups.keys()) out.set(name, []);
  for (const node of view.nodes.values()) {
    const group = groupOfNode(node, groups);
    if (group !== undefined) (out.get(group.name) as string[]).push(node.metadata.name);
  }
  for (const names of out.values()) names.sort();
  return out;
}
