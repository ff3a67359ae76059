/**
 * Toleration matching as k8s.io/api's Toleration.ToleratesTaint. Gt/Lt are only honoured behind
 * the alpha switch (TaintTolerationComparisonOperators); unparsable integers never tolerate.
 */
import type { Taint, Toleration } from "../../model/objects.ts";
import { parseGoInt } from "./node-selector.ts";

export function toleratesTaint(t: Toleration, taint: Taint, comparisonOperators: boolean): boolean {
  if (t.effect !== undefined && (t.effect as string) !== "" && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== "" && t.key !== taint.key) return false;
  const operator = (t.operator ?? "") as string;
  switch (operator) {
    case "":
    case "Equal":
      return (t.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    case "Gt":
    case "Lt": {
      if (!comparisonOperators) return false;
      const bound = parseGoInt(t.value ?? "");
      const actual = parseGoInt(taint.value ?? "");
      if (bound === undefined || actual === undefined) return false;
      return operator === "Gt" ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

export function taintTolerated(taint: Taint, tolerations: readonly Toleration[] | undefined, comparisonOperators: boolean): boolean {
  if (tolerations === undefined) return false;
  for (const t of tolerations) if (toleratesTaint(t, taint, comparisonOperators)) return true;
  return false;
}

/** First NoSchedule/NoExecute taint none of the tolerations tolerate, if any. */
export function firstUntoleratedHardTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[] | undefined,
  comparisonOperators: boolean,
): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect === "PreferNoSchedule") continue;
    if (!taintTolerated(taint, tolerations, comparisonOperators)) return taint;
  }
  return undefined;
}
