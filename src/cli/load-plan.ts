/**
 * Loads a scenario file for a command (decoding errors are bad input, exit 2) and resolves each
 * run once: the variant applied, the scheduler configuration validated. The resolved run is plain
 * data (structured-clone-able), so compare hands it to its worker threads as it is.
 */
import { formatScenarioError, loadScenarioFile } from "../scenario/load.ts";
import { applyVariant, type ScenarioPlan } from "../sim/plan.ts";
import { schedulerConfigProblems } from "../sim/scheduler-config.ts";
import { UsageError } from "./exit-codes.ts";

export function loadPlan(path: string): ScenarioPlan {
  const result = loadScenarioFile(path);
  if (!result.ok) throw new UsageError(formatScenarioError(result.error));
  return result.plan;
}

/** One variant of a scenario, ready to run on any seed. */
export interface ResolvedRun {
  /** As the user named it: printed in reproduce commands. */
  scenarioFile: string;
  variant: string;
  /**
   * The plan with the variant applied and `variants` emptied (nothing downstream reads them).
   * Its scheduler configuration is valid. The kube-scheduler framework itself is built by each
   * run's world: it holds per-run state (assumed pods, incremental caches), so it is never shared.
   */
  plan: ScenarioPlan;
}

export function resolveRun(plan: ScenarioPlan, scenarioFile: string, variant: string): ResolvedRun {
  if (variant !== "baseline" && !Object.hasOwn(plan.variants, variant)) {
    const known = ["baseline", ...Object.keys(plan.variants)].join(", ");
    throw new UsageError(`unknown variant "${variant}" in ${plan.name} (known: ${known})`);
  }
  const applied = applyVariant(plan, variant);
  const problems = schedulerConfigProblems(applied.parameters.scheduler);
  if (problems.length > 0) throw new UsageError(`${plan.name}, variant ${variant}: invalid scheduler configuration: ${problems.join("; ")}`);
  return { scenarioFile, variant, plan: { ...applied, variants: {} } };
}
