/** NamespaceLifecycle: no new pods in a namespace that does not exist or is being deleted. */
import type { Pod } from "../../model/objects.ts";
import { forbidden, type AdmissionView, type Rejection } from "./types.ts";

export const namespaceLifecycleName = "NamespaceLifecycle";
/** Namespaces the API server always has (upstream's immortal namespaces). */
export const immortalNamespaces: ReadonlySet<string> = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

export function admitNamespaceLifecycle(view: AdmissionView, pod: Pod): Rejection | undefined {
  const name = pod.metadata.namespace;
  const ns = view.namespaces.get(name);
  if (ns === undefined) {
    if (immortalNamespaces.has(name)) return undefined;
    return { kind: "Rejected", code: 404, reason: "NotFound", message: `namespaces "${name}" not found`, plugin: namespaceLifecycleName };
  }
  if (ns.metadata.deletionMs !== undefined) {
    return forbidden(namespaceLifecycleName, pod, `unable to create new content in namespace ${name} because it is being terminated`);
  }
  return undefined;
}
