/** Loads a scenario file for a command, turning decoding errors into usage errors (exit 2). */
import { formatScenarioError, loadScenarioFile } from "../scenario/load.ts";
import type { ScenarioPlan } from "../sim/plan.ts";
import { UsageError } from "./exit-codes.ts";

export function loadPlan(path: string): ScenarioPlan {
  const result = loadScenarioFile(path);
  if (!result.ok) throw new UsageError(formatScenarioError(result.error));
  return result.plan;
}

export function checkVariant(plan: ScenarioPlan, variant: string): void {
  if (variant !== "baseline" && !Object.hasOwn(plan.variants, variant)) {
    const known = ["baseline", ...Object.keys(plan.variants)].join(", ");
    throw new UsageError(`unknown variant "${variant}" in ${plan.name} (known: ${known})`);
  }
}
