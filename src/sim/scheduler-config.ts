/**
 * The kube-scheduler configuration a run uses: the scenario's profiles merged over upstream's
 * default, or the default profile with NodeResourcesFit set to the scenario's scoring strategy.
 */
import { mergeProfile, type Profile } from "../policies/scheduling/profile.ts";
import { validateSchedulerConfig, type SchedulerConfig } from "../policies/scheduling/scheduler.ts";
import type { SchedulerParameters } from "./plan.ts";

export function schedulerConfigOf(p: SchedulerParameters): SchedulerConfig {
  const user: Profile[] =
    p.profiles.length > 0
      ? p.profiles
      : [
          {
            schedulerName: "default-scheduler",
            pluginConfig: [
              {
                name: "NodeResourcesFit",
                args: { scoringStrategy: { type: p.scoringStrategy, resources: [{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }] } },
              },
            ],
          },
        ];
  return { profiles: user.map(mergeProfile), percentageOfNodesToScore: p.percentageOfNodesToScore };
}

/** Problems with the configuration, as kube-scheduler would report them (empty when valid). */
export function schedulerConfigProblems(p: SchedulerParameters): string[] {
  return p.implementation === "framework" ? validateSchedulerConfig(schedulerConfigOf(p)) : [];
}
