/**
 * A new node of a group as the autoscaler pictures it (upstream simulator/node_info_utils.go
 * SanitizedTemplateNodeInfoFromNodeGroup + daemonset.GetDaemonSetPodsForNode): the template node
 * plus the DaemonSet pods that would start on it, so the room they take is not counted twice.
 */
import type { Node, Pod } from "../../../model/objects.ts";
import type { DaemonSet } from "../../../model/daemon-set.ts";
import { storedObjectsOf } from "../../../model/stored-objects.ts";
import type { ClusterView } from "../../../model/view.ts";
import { daemonPodSpec, nodeShouldRunDaemonPod } from "../../controllers/daemon-pod.ts";

/** The DaemonSet pods a node would run, bound to it, in DaemonSet key order. */
export function daemonPodsFor(view: ClusterView, node: Node): Pod[] {
  const out: Pod[] = [];
  const sets = storedObjectsOf(view, "DaemonSet") as ReadonlyMap<string, DaemonSet>;
  for (const key of [...sets.keys()].sort()) {
    const ds = sets.get(key) as DaemonSet;
    const spec = daemonPodSpec(ds);
    if (!nodeShouldRunDaemonPod(node, ds, spec).shouldRun) continue;
    const name = `${ds.metadata.name}-${node.metadata.name}`;
    out.push({
      kind: "Pod",
      metadata: {
        name, namespace: ds.metadata.namespace, uid: `template-${name}`, labels: { ...ds.spec.template.labels }, creationMs: 0,
        ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: ds.metadata.name, uid: ds.metadata.uid, controller: true }],
      },
      spec: { ...spec, nodeName: node.metadata.name },
      status: { phase: "Running", ready: true },
    });
  }
  return out;
}
