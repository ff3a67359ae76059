/** Loads a scenario file for a command, turning decoding errors into usage errors (exit 2). */
import { formatScenarioError, loadScenarioFile } from "../scenario/load.ts";
import type { LoadOptions } from "../scenario/load.ts";
import { defaultLimits, limitDefs, limitsFrom } from "../scenario/limits.ts";
import type { Limits } from "../scenario/limits.ts";
import { applyVariant, type ScenarioPlan } from "../sim/plan.ts";
import { schedulerConfigProblems } from "../sim/scheduler-config.ts";
import { UsageError } from "./exit-codes.ts";

export function loadPlan(path: string, options: LoadOptions = {}): ScenarioPlan {
  const result = loadScenarioFile(path, options);
  if (!result.ok) throw new UsageError(formatScenarioError(result.error));
  return result.plan;
}

export function checkVariant(plan: ScenarioPlan, variant: string): void {
  if (variant !== "baseline" && !Object.hasOwn(plan.variants, variant)) {
    const known = ["baseline", ...Object.keys(plan.variants)].join(", ");
    throw new UsageError(`unknown variant "${variant}" in ${plan.name} (known: ${known})`);
  }
  const problems = schedulerConfigProblems(applyVariant(plan, variant).parameters.scheduler);
  if (problems.length > 0) throw new UsageError(`${plan.name}, variant ${variant}: invalid scheduler configuration: ${problems.join("; ")}`);
}

/** `--limit NAME=VALUE` (repeatable) over the documented defaults; a bad one is a usage error. */
export function limitsOption(flags: readonly string[] | undefined): Limits {
  const limits = limitsFrom(flags ?? []);
  if ("error" in limits) throw new UsageError(limits.error);
  return limits;
}


/** The flags a reproduce command needs to load the scenario the same way (raised limits, outside paths). */
export function loadFlags(options: LoadOptions): string[] {
  const flags = options.allowOutsidePaths === true ? ["--allow-outside-paths"] : [];
  for (const [name, def] of Object.entries(limitDefs)) {
    const value = options.limits?.[def.field];
    if (value !== undefined && value !== defaultLimits[def.field]) flags.push("--limit", `${name}=${def.format(value)}`);
  }
  return flags;
}
