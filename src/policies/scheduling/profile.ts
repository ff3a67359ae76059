/**
 * Scheduler profiles in the KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) shape, the
 * upstream default profile, and the merge of a user profile over it (upstream mergePlugins /
 * setDefaults_KubeSchedulerProfile): disabled defaults drop out ("*" drops all), a re-enabled
 * default is replaced in place (keeping its position), new plugins are appended; pluginConfig args
 * are defaulted field by field.
 */
import { defaultBalancedAllocationArgs } from "./plugins/node-resources-balanced-allocation.ts";
import { defaultInterPodAffinityArgs } from "./plugins/inter-pod-affinity.ts";
import { defaultNodeResourcesFitArgs } from "./plugins/node-resources-fit.ts";
import { defaultPodTopologySpreadArgs } from "./plugins/pod-topology-spread.ts";
import { defaultPreemptionArgs } from "./preemption.ts";

export interface PluginRef {
  name: string;
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

export const extensionPoints = [
  "preEnqueue",
  "queueSort",
  "preFilter",
  "filter",
  "postFilter",
  "preScore",
  "score",
  "reserve",
  "permit",
  "preBind",
  "bind",
  "postBind",
] as const;

export type ExtensionPoint = (typeof extensionPoints)[number];

export type Plugins = { multiPoint?: PluginSet } & { [P in ExtensionPoint]?: PluginSet };

export interface PluginConfig {
  name: string;
  args: unknown;
}

export interface Profile {
  schedulerName: string;
  /** Per-profile override of the scheduler-wide percentageOfNodesToScore (0 = adaptive). */
  percentageOfNodesToScore?: number;
  plugins?: Plugins;
  pluginConfig?: PluginConfig[];
}

export const defaultSchedulerName = "default-scheduler";

/**
 * Upstream's default multiPoint plugins (pkg/scheduler/apis/config/v1/default_plugins.go) that the
 * twin implements, in upstream order with upstream weights. Not modelled: SchedulingGates,
 * VolumeRestrictions, NodeVolumeLimits, ImageLocality (no images), DynamicResources.
 */
export const defaultMultiPoint: readonly PluginRef[] = Object.freeze([
  { name: "PrioritySort" },
  { name: "NodeUnschedulable" },
  { name: "NodeName" },
  { name: "TaintToleration", weight: 3 },
  { name: "NodeAffinity", weight: 2 },
  { name: "NodePorts" },
  { name: "NodeResourcesFit", weight: 1 },
  { name: "VolumeBinding" },
  { name: "VolumeZone" },
  { name: "PodTopologySpread", weight: 2 },
  { name: "InterPodAffinity", weight: 2 },
  { name: "DefaultPreemption" },
  { name: "NodeResourcesBalancedAllocation", weight: 1 },
  { name: "DefaultBinder" },
]);

export const defaultPluginArgs: Readonly<Record<string, unknown>> = Object.freeze({
  NodeResourcesFit: defaultNodeResourcesFitArgs,
  NodeResourcesBalancedAllocation: defaultBalancedAllocationArgs,
  PodTopologySpread: defaultPodTopologySpreadArgs,
  InterPodAffinity: defaultInterPodAffinityArgs,
  DefaultPreemption: defaultPreemptionArgs,
  NodeAffinity: {},
  TaintToleration: {},
});

export const defaultProfile: Profile = Object.freeze({
  schedulerName: defaultSchedulerName,
  plugins: { multiPoint: { enabled: defaultMultiPoint.map((p) => ({ ...p })) } },
  pluginConfig: Object.entries(defaultPluginArgs).map(([name, args]) => ({ name, args })),
});

/** upstream mergePluginSet. */
export function mergePluginSet(defaults: PluginSet | undefined, custom: PluginSet | undefined): PluginSet {
  const disabled = new Set((custom?.disabled ?? []).map((p) => p.name));
  const customEnabled = custom?.enabled ?? [];
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabled.has("*")) {
    for (const plugin of defaults?.enabled ?? []) {
      if (disabled.has(plugin.name)) continue;
      const index = customEnabled.findIndex((p) => p.name === plugin.name);
      if (index >= 0) {
        replaced.add(index);
        enabled.push({ ...(customEnabled[index] as PluginRef) });
      } else enabled.push({ ...plugin });
    }
  }
  customEnabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push({ ...p });
  });
  const out: PluginSet = { enabled };
  if (custom?.disabled !== undefined) out.disabled = custom.disabled.map((p) => ({ ...p }));
  return out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Fills unset fields of user args from the defaults (one level deep for nested objects). */
function defaultArgs(defaults: unknown, user: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(user)) return user ?? defaults;
  const out: Record<string, unknown> = { ...user };
  for (const [key, value] of Object.entries(defaults)) {
    const mine = out[key];
    if (mine === undefined || mine === null) out[key] = value;
    else if (isPlainObject(value) && isPlainObject(mine)) {
      const nested: Record<string, unknown> = { ...mine };
      for (const [k, v] of Object.entries(value)) {
        const m = nested[k];
        if (m === undefined || m === null || (Array.isArray(m) && m.length === 0)) nested[k] = v;
      }
      out[key] = nested;
    }
  }
  return out;
}

/** A user profile merged over the default profile, as the upstream defaulting does. */
export function mergeProfile(user: Profile): Profile {
  const plugins: Plugins = {};
  const defaultsPlugins = defaultProfile.plugins ?? {};
  plugins.multiPoint = mergePluginSet(defaultsPlugins.multiPoint, user.plugins?.multiPoint);
  for (const point of extensionPoints) {
    const set = user.plugins?.[point];
    if (set !== undefined) plugins[point] = mergePluginSet(defaultsPlugins[point], set);
  }
  const pluginConfig: PluginConfig[] = [];
  const userConfig = new Map((user.pluginConfig ?? []).map((c) => [c.name, c.args]));
  for (const [name, args] of Object.entries(defaultPluginArgs)) {
    pluginConfig.push({ name, args: defaultArgs(args, userConfig.get(name)) });
    userConfig.delete(name);
  }
  for (const [name, args] of userConfig) pluginConfig.push({ name, args });
  const out: Profile = { schedulerName: user.schedulerName || defaultSchedulerName, plugins, pluginConfig };
  if (user.percentageOfNodesToScore !== undefined) out.percentageOfNodesToScore = user.percentageOfNodesToScore;
  return out;
}
