/**
 * The in-tree plugin registry (name → factory) and the construction of a Framework from a merged
 * profile, expanding multiPoint like upstream: specific-point settings override multiPoint ones,
 * a plugin joins every extension point it implements unless disabled there.
 */
import type {
  BindPlugin,
  FilterPlugin,
  Framework,
  Plugin,
  PostFilterPlugin,
  PreFilterPlugin,
  PreScorePlugin,
  QueueSortPlugin,
  ReservePlugin,
  ScorePlugin,
  WeightedScorePlugin,
} from "./framework.ts";
import { newDefaultBinder } from "./plugins/default-binder.ts";
import { newDefaultPreemption } from "./plugins/default-preemption.ts";
import { newInterPodAffinity } from "./plugins/inter-pod-affinity.ts";
import { newNodeAffinity } from "./plugins/node-affinity.ts";
import { newNodeName } from "./plugins/node-name.ts";
import { newNodePorts } from "./plugins/node-ports.ts";
import { newBalancedAllocation } from "./plugins/node-resources-balanced-allocation.ts";
import { newNodeResourcesFit } from "./plugins/node-resources-fit.ts";
import { newNodeUnschedulable } from "./plugins/node-unschedulable.ts";
import { newPodTopologySpread } from "./plugins/pod-topology-spread.ts";
import { newPrioritySort } from "./plugins/priority-sort.ts";
import { newTaintToleration } from "./plugins/taint-toleration.ts";
import { newVolumeBinding } from "./plugins/volume-binding.ts";
import { newVolumeZone } from "./plugins/volume-zone.ts";
import type { ExtensionPoint, PluginRef, PluginSet, Profile } from "./profile.ts";

/** A factory returns the plugin, or the validation errors of its args. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PluginFactory = (args: any) => Plugin | string[];

export const inTreeRegistry: ReadonlyMap<string, PluginFactory> = new Map<string, PluginFactory>([
  ["PrioritySort", newPrioritySort],
  ["NodeUnschedulable", newNodeUnschedulable],
  ["NodeName", newNodeName],
  ["NodePorts", newNodePorts],
  ["NodeResourcesFit", newNodeResourcesFit],
  ["NodeResourcesBalancedAllocation", newBalancedAllocation],
  ["TaintToleration", newTaintToleration],
  ["NodeAffinity", newNodeAffinity],
  ["InterPodAffinity", newInterPodAffinity],
  ["PodTopologySpread", newPodTopologySpread],
  ["VolumeZone", newVolumeZone],
  ["VolumeBinding", newVolumeBinding],
  ["DefaultPreemption", newDefaultPreemption],
  ["DefaultBinder", newDefaultBinder],
]);

type Implements = (p: Plugin) => boolean;

const pointChecks: Partial<Record<ExtensionPoint, Implements>> = {
  queueSort: (p) => "less" in p,
  preFilter: (p) => "preFilter" in p,
  filter: (p) => "filter" in p,
  postFilter: (p) => "postFilter" in p,
  preScore: (p) => "preScore" in p,
  score: (p) => "score" in p,
  reserve: (p) => "reserve" in p,
  bind: (p) => "bind" in p,
};

export type BuildResult = { kind: "Ok"; framework: Framework } | { kind: "Invalid"; errors: string[] };

/** Plugin names per extension point after multiPoint expansion (upstream order rules). */
export function expandPoint(profile: Profile, point: ExtensionPoint, implementsPoint: (name: string) => boolean): PluginRef[] {
  const specific: PluginSet = profile.plugins?.[point] ?? {};
  const enabled = (specific.enabled ?? []).map((p) => ({ ...p }));
  const disabled = new Set((specific.disabled ?? []).map((p) => p.name));
  if (disabled.has("*")) return enabled;
  const enabledNames = new Set(enabled.map((p) => p.name));
  const overrides = new Set<string>();
  const fromMultiPoint: PluginRef[] = [];
  for (const ref of profile.plugins?.multiPoint?.enabled ?? []) {
    if (!implementsPoint(ref.name) || disabled.has(ref.name)) continue;
    if (enabledNames.has(ref.name)) {
      overrides.add(ref.name);
      continue;
    }
    if (!fromMultiPoint.some((p) => p.name === ref.name)) fromMultiPoint.push({ ...ref });
  }
  return [...enabled.filter((p) => overrides.has(p.name)), ...fromMultiPoint, ...enabled.filter((p) => !overrides.has(p.name))];
}

export function buildFramework(profile: Profile, registry: ReadonlyMap<string, PluginFactory> = inTreeRegistry): BuildResult {
  const errors: string[] = [];
  const args = new Map((profile.pluginConfig ?? []).map((c) => [c.name, c.args]));
  const instances = new Map<string, Plugin>();
  const instance = (name: string): Plugin | undefined => {
    if (instances.has(name)) return instances.get(name);
    const factory = registry.get(name);
    if (factory === undefined) {
      errors.push(`plugin "${name}" does not exist`);
      return undefined;
    }
    const made = factory(args.get(name) ?? {});
    if (Array.isArray(made)) {
      errors.push(...made.map((e) => `${name}: ${e}`));
      return undefined;
    }
    instances.set(name, made);
    return made;
  };
  const at = <T extends Plugin>(point: ExtensionPoint): { plugin: T; weight: number }[] => {
    const check = pointChecks[point];
    if (check === undefined) return [];
    const refs = expandPoint(profile, point, (name) => {
      const p = instance(name);
      return p !== undefined && check(p);
    });
    const out: { plugin: T; weight: number }[] = [];
    for (const ref of refs) {
      const p = instance(ref.name);
      if (p === undefined) continue;
      if (!check(p)) {
        errors.push(`plugin "${ref.name}" does not extend ${point} plugin`);
        continue;
      }
      out.push({ plugin: p as T, weight: ref.weight === undefined || ref.weight === 0 ? 1 : ref.weight });
    }
    return out;
  };
  const queueSort = at<QueueSortPlugin>("queueSort");
  const score = at<ScorePlugin>("score");
  const multiWeights = new Map((profile.plugins?.multiPoint?.enabled ?? []).map((p) => [p.name, p.weight]));
  const specificWeights = new Map((profile.plugins?.score?.enabled ?? []).map((p) => [p.name, p.weight]));
  const framework: Framework = {
    profileName: profile.schedulerName,
    queueSort: queueSort[0]?.plugin ?? newPrioritySort(),
    preFilter: at<PreFilterPlugin>("preFilter").map((x) => x.plugin),
    filter: at<FilterPlugin>("filter").map((x) => x.plugin),
    postFilter: at<PostFilterPlugin>("postFilter").map((x) => x.plugin),
    preScore: at<PreScorePlugin>("preScore").map((x) => x.plugin),
    score: score.map(({ plugin }): WeightedScorePlugin => {
      const w = specificWeights.get(plugin.name) ?? multiWeights.get(plugin.name);
      return { plugin, weight: w === undefined || w === 0 ? 1 : w };
    }),
    reserve: at<ReservePlugin>("reserve").map((x) => x.plugin),
    bind: at<BindPlugin>("bind").map((x) => x.plugin),
    args,
  };
  if (queueSort.length > 1) errors.push("only one queueSort plugin can be enabled");
  if (framework.bind.length === 0) errors.push("at least one bind plugin is needed");
  return errors.length > 0 ? { kind: "Invalid", errors: [...new Set(errors)] } : { kind: "Ok", framework };
}
