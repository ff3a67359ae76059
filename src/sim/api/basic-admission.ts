/**
 * The walking skeleton's admission defaults for new pods: scheduler name, priority 0 and upstream's
 * DefaultTolerationSeconds (not-ready and unreachable, NoExecute, 300 s) when the pod has none.
 */
import type { Pod, Toleration } from "../../model/objects.ts";

export const defaultTolerationSeconds = 300;

export function admitBasic(pod: Pod): Pod {
  const tolerations: Toleration[] = [...(pod.spec.tolerations ?? [])];
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    const has = tolerations.some((t) => (t.operator === "Exists" && (t.key ?? "") === "") || (t.key === key && (t.effect ?? "NoExecute") === "NoExecute"));
    if (!has) tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: defaultTolerationSeconds });
  }
  pod.spec.tolerations = tolerations;
  pod.spec.priority ??= 0;
  if (!pod.spec.schedulerName) pod.spec.schedulerName = "default-scheduler";
  return pod;
}
