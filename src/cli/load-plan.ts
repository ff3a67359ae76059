/**
 * Loads a scenario file for a command (decoding errors are bad input, exit 2) and resolves each
 * run once: the variant applied, the scheduler configuration validated. The resolved run is plain
 * data (structured-clone-able), so compare hands it to its worker threads as it is.
 */
import { formatScenarioError, loadScenarioFile } from "../scenario/load.ts";
import type { LoadOptions } from "../scenario/load.ts";
import { defaultLimits, limitDefs, limitsFrom } from "../scenario/limits.ts";
import type { Limits } from "../scenario/limits.ts";
import { applyVariant, type ScenarioPlan } from "../sim/plan.ts";
import { schedulerConfigProblems } from "../sim/scheduler-config.ts";
import { UsageError } from "./exit-codes.ts";
import { encodeStoredPlan } from "./stored-plan.ts";

export function loadPlan(path: string, options: LoadOptions = {}): ScenarioPlan {
  const result = loadScenarioFile(path, options);
  if (!result.ok) throw new UsageError(formatScenarioError(result.error));
  return result.plan;
}

/** One variant of a scenario, ready to run on any seed. */
export interface ResolvedRun {
  /** Where the plan came from, as arguments of `kubetwin run`: the scenario file as the user named it, or `--from-log DB --run ID` (reproduce commands print them). */
  source: string[];
  variant: string;
  /**
   * The plan with the variant applied and `variants` emptied (nothing downstream reads them).
   * Its scheduler configuration is valid. The kube-scheduler framework itself is built by each
   * run's world: it holds per-run state (assumed pods, incremental caches), so it is never shared.
   */
  plan: ScenarioPlan;
  /** The plan before the variant, every variant in it (stored-plan.ts): what the log keeps with the run. */
  storedPlan: string;
  /** The flags that load the scenario the same way again (raised limits, outside paths), for reproduce commands. */
  loadFlags: string[];
  /** The events-per-run limit (--limit events): the engine's step limit unless --steps-max says otherwise. */
  eventsMax?: number;
}

/** `source`: a scenario file name, or the `run` arguments that name the plan otherwise (ResolvedRun.source). */
export function resolveRun(plan: ScenarioPlan, source: string | string[], variant: string, load: LoadOptions = {}): ResolvedRun {
  if (variant !== "baseline" && !Object.hasOwn(plan.variants, variant)) {
    const known = ["baseline", ...Object.keys(plan.variants)].join(", ");
    throw new UsageError(`unknown variant "${variant}" in ${plan.name} (known: ${known})`);
  }
  const applied = applyVariant(plan, variant);
  const problems = schedulerConfigProblems(applied.parameters.scheduler);
  if (problems.length > 0) throw new UsageError(`${plan.name}, variant ${variant}: invalid scheduler configuration: ${problems.join("; ")}`);
  const eventsMax = load.limits?.eventsMax;
  return {
    source: typeof source === "string" ? [source] : source,
    variant,
    plan: { ...applied, variants: {} },
    storedPlan: encodeStoredPlan(plan),
    loadFlags: loadFlags(load), ...(eventsMax !== undefined ? { eventsMax } : {}),
  };
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
