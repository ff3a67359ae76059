/**
 * DefaultTolerationSeconds: every pod tolerates node.kubernetes.io/not-ready and unreachable
 * NoExecute for 300 s unless it already tolerates them (then node loss evicts it after 5 min).
 */
import type { Pod, Toleration } from "../../model/objects.ts";

export const defaultTolerationSecondsName = "DefaultTolerationSeconds";
export const defaultNotReadyTolerationSeconds = 300;
export const defaultUnreachableTolerationSeconds = 300;
const notReadyKey = "node.kubernetes.io/not-ready";
const unreachableKey = "node.kubernetes.io/unreachable";

function covers(t: Toleration, key: string): boolean {
  const keyMatches = t.key === key || t.key === undefined || t.key === "";
  const effectMatches = t.effect === "NoExecute" || t.effect === undefined || (t.effect as string) === "";
  return keyMatches && effectMatches;
}

export function admitDefaultTolerationSeconds(_view: unknown, pod: Pod): undefined {
  const tolerations = pod.spec.tolerations ?? [];
  const add: Toleration[] = [];
  if (!tolerations.some((t) => covers(t, notReadyKey))) {
    add.push({ key: notReadyKey, operator: "Exists", effect: "NoExecute", tolerationSeconds: defaultNotReadyTolerationSeconds });
  }
  if (!tolerations.some((t) => covers(t, unreachableKey))) {
    add.push({ key: unreachableKey, operator: "Exists", effect: "NoExecute", tolerationSeconds: defaultUnreachableTolerationSeconds });
  }
  if (add.length > 0) pod.spec.tolerations = [...tolerations, ...add];
  return undefined;
}
