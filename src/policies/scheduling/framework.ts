/**
 * The scheduling framework: extension points as small interfaces, a cycle state, and the runners
 * that call a profile's plugins in order (kube-scheduler's frameworkImpl, reduced to what a pure,
 * single-threaded twin needs).
 */
import type { ClusterEvent, ClusterEventKind } from "../../model/cluster-event.ts";
import { objectKey, type Pod } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { NodeInfo } from "./node-info.ts";
import type { PodInfo } from "./pod-info.ts";
import type { PlacedPod, Snapshot } from "./snapshot.ts";
import { SUCCESS, type Status } from "./status.ts";

export interface Plugin {
  readonly name: string;
  /**
   * Optional (upstream EnqueueExtensions.EventsToRegister): the cluster events after which a pod
   * this plugin rejected may fit; see queueing-hints.ts. A rejecting plugin without it is
   * interested in every event.
   */
  eventsToRegister?(): readonly ClusterEventRegistration[];
}

/** upstream QueueingHint: Queue moves the pod, QueueSkip leaves it parked. */
export type QueueingHint = "Queue" | "QueueSkip";

/** One registration: an event kind and an optional hint (undefined event: only the kind is known). */
export interface ClusterEventRegistration {
  readonly kind: ClusterEventKind;
  readonly hint?: (event: ClusterEvent | undefined) => QueueingHint;
}

/** upstream EnqueueExtensions: a plugin that rejects pods names the events that may lift it. */
export interface EnqueueExtensions {
  eventsToRegister(): readonly ClusterEventRegistration[];
}

/** What the queue knows about a pending pod; QueueSort orders these. */
export interface QueuedPodInfo {
  readonly key: string;
  readonly priority: number;
  /** When the pod last entered the queue (virtual ms). */
  readonly timestampMs: number;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

export interface PreFilterResult {
  readonly status: Status;
  /** Restricts the cycle to these nodes (e.g. NodeAffinity matchFields metadata.name). */
  readonly nodeNames?: ReadonlySet<string>;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState): PreFilterResult;
  /**
   * Optional (upstream PreFilterExtensions.RemovePod): declares that this plugin's cycle state (keys
   * `<name>` and `<name>/…`) counts other pods. `child` is a "what if" state whose snapshot lacks
   * the `removed` placed pods of `parent`'s; the child starts without this plugin's state, and the
   * plugin may write it derived from `parent`'s (same values as recounting) or leave it to be
   * recounted. Plugins without it keep their state in what-if states (it must not count pods), and
   * their PreFilter and Filter read only the pod, the view and the NodeInfo they are given (as
   * upstream's, whose preemption changes nothing else): preemption's dry run relies on it.
   */
  removePods?(parent: CycleState, child: CycleState, removed: readonly PlacedPod[]): void;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, node: NodeInfo): Status;
  /**
   * Optional batch form for the hot path, same verdicts: for every i with rejected[i] undefined,
   * sets rejected[i] to filter(state, nodes[i]) unless that is Success. Saves a dispatch per node;
   * `filter` stays the definition (explain mode, preemption and tests call it).
   */
  filterAll?(state: CycleState, nodes: readonly NodeInfo[], rejected: (Status | undefined)[]): void;
}

export interface PostFilterResult {
  readonly status: Status;
  readonly nominatedNodeName?: string;
  readonly victims: readonly string[];
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, filtered: ReadonlyMap<string, Status>, handle: FrameworkHandle): PostFilterResult;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, nodes: readonly NodeInfo[]): Status;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, node: NodeInfo): number;
  /**
   * Optional batch form for the hot path, same values: scores[i] = score(state, nodes[i]). Saves
   * a dispatch per node; `score` stays the definition (explain mode and tests call it).
   */
  scoreAll?(state: CycleState, nodes: readonly NodeInfo[], scores: number[]): void;
  /** Rewrites `scores` (aligned with `nodes`) in place to 0..100. */
  normalizeScore?(state: CycleState, nodes: readonly NodeInfo[], scores: number[]): void;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, nodeName: string): Status;
  unreserve(state: CycleState, nodeName: string): void;
}

export interface BindPlugin extends Plugin {
  bind(state: CycleState, nodeName: string): Status;
}

/** True when `key` is the cycle-state key of one of `plugins` (`<name>` or `<name>/…`). */
function ownedByAny(key: string, plugins: readonly string[]): boolean {
  for (const name of plugins) if (key.startsWith(name) && (key.length === name.length || key.charCodeAt(name.length) === 47)) return true;
  return false;
}

/** The plugins whose cycle state counts other pods: those implementing removePods, at any point. */
export function podDependentPlugins(fw: Framework): readonly string[] {
  const names = new Set<string>();
  for (const p of [...fw.preFilter, ...fw.filter] as Partial<PreFilterPlugin>[]) if (typeof p.removePods === "function") names.add(p.name as string);
  return [...names];
}

/** Per-cycle state: the pod, the snapshot, and each plugin's PreFilter/PreScore results. */
export class CycleState {
  readonly pod: Pod;
  readonly podKey: string;
  readonly snapshot: Snapshot;
  readonly data = new Map<string, unknown>();
  readonly skipFilter = new Set<string>();
  readonly skipScore = new Set<string>();
  /** The filter plugins PreFilter did not skip (set by runPreFilter; the hot loop's list). */
  activeFilters: readonly FilterPlugin[] | undefined;

  constructor(pod: Pod, snapshot: Snapshot, podKey: string = objectKey(pod.metadata)) {
    this.pod = pod;
    this.podKey = podKey;
    this.snapshot = snapshot;
  }

  /**
   * The same cycle over a "what if" snapshot (preemption): keeps PreFilter results that depend only
   * on the pod and the skip decisions (removing pods never adds constraints); drops the state of
   * `podDependent` plugins (podDependentPlugins), which they derive in removePods or rebuild lazily.
   */
  forSnapshot(snapshot: Snapshot, podDependent: readonly string[]): CycleState {
    const child = new CycleState(this.pod, snapshot, this.podKey);
    for (const [key, value] of this.data) if (!ownedByAny(key, podDependent)) child.data.set(key, value);
    for (const name of this.skipFilter) child.skipFilter.add(name);
    return child;
  }

  read<T>(plugin: string): T | undefined {
    return this.data.get(plugin) as T | undefined;
  }

  write(plugin: string, value: unknown): void {
    this.data.set(plugin, value);
  }
}

/**
 * Memoizes a plugin's per-cycle value for the hot loop: the last cycle's state object and value,
 * falling back to the CycleState map (so a forked "what if" state still finds its own value).
 */
export function perCycle<T>(key: string, compute: (state: CycleState) => T): (state: CycleState) => T {
  let lastState: CycleState | undefined;
  let lastValue: T | undefined;
  return (state) => {
    if (state === lastState) return lastValue as T;
    let value = state.read<T>(key);
    if (value === undefined) {
      value = compute(state);
      state.write(key, value);
    }
    lastState = state;
    lastValue = value;
    return value;
  };
}

export interface WeightedScorePlugin {
  readonly plugin: ScorePlugin;
  readonly weight: number;
}

/** A profile turned into plugin instances per extension point, in configured order. */
export interface Framework {
  readonly profileName: string;
  readonly queueSort: QueueSortPlugin;
  readonly preFilter: readonly PreFilterPlugin[];
  readonly filter: readonly FilterPlugin[];
  readonly postFilter: readonly PostFilterPlugin[];
  readonly preScore: readonly PreScorePlugin[];
  readonly score: readonly WeightedScorePlugin[];
  readonly reserve: readonly ReservePlugin[];
  readonly bind: readonly BindPlugin[];
  /** pluginConfig args after defaulting, by plugin name (read by the scheduler, e.g. preemption). */
  readonly args: ReadonlyMap<string, unknown>;
}

/** What PostFilter plugins may ask of the framework: re-run the filters in a "what if" snapshot. */
export interface FrameworkHandle {
  readonly framework: Framework;
  readonly prng: Prng;
  /** PreFilter + Filter for the cycle's pod on one node of `snapshot`. */
  podFitsOn(state: CycleState, snapshot: Snapshot, nodeName: string): boolean;
  /**
   * Upstream DryRunPreemption's shape (a copied cycle state, a cloned NodeInfo, filters only):
   * answers exactly what podFitsOn(state, state.snapshot.without(keys of the pods gone), node)
   * answers, without a snapshot per "what if". Undefined when a pod-dependent plugin
   * (podDependentPlugins) is active in `state`: its state depends on which pods are gone, so the
   * caller uses podFitsOn.
   */
  dryRun(state: CycleState): NodeDryRun | undefined;
}

/** Filters for one cycle's pod on a node holding only some of its pods (see FrameworkHandle.dryRun). */
export interface NodeDryRun {
  /**
   * PreFilter + Filter on `node` as if it held only `pods` (a subset of node.pods, in its order;
   * `infos`, when given, their podInfoOf).
   */
  fits(node: NodeInfo, pods: readonly Pod[], infos?: readonly PodInfo[]): boolean;
}

export interface PreFilterOutcome {
  readonly status: Status;
  readonly nodeNames: ReadonlySet<string> | undefined;
  /** The plugins whose PreFilter result named nodes (upstream's pluginsWithNodes), sorted. */
  readonly restrictedBy: readonly string[];
}

export function runPreFilter(fw: Framework, state: CycleState): PreFilterOutcome {
  let nodeNames: Set<string> | undefined;
  const restrictedBy: string[] = [];
  for (const plugin of fw.preFilter) {
    if (state.skipFilter.has(plugin.name)) continue;
    const result = plugin.preFilter(state);
    const s = result.status;
    if (s.code === "Skip") {
      state.skipFilter.add(plugin.name);
      continue;
    }
    if (s.code !== "Success") return { status: withPlugin(s, plugin.name), nodeNames: undefined, restrictedBy };
    if (result.nodeNames !== undefined) {
      restrictedBy.push(plugin.name);
      nodeNames = nodeNames === undefined ? new Set(result.nodeNames) : intersect(nodeNames, result.nodeNames);
    }
  }
  state.activeFilters = fw.filter.filter((p) => !state.skipFilter.has(p.name));
  return { status: SUCCESS, nodeNames, restrictedBy: restrictedBy.sort() };
}

/** Filters in order, stopping at the first rejection (upstream's default). */
export function runFilter(fw: Framework, state: CycleState, node: NodeInfo): Status {
  const active = state.activeFilters;
  const plugins = active ?? fw.filter;
  for (let i = 0; i < plugins.length; i++) {
    const plugin = plugins[i] as FilterPlugin;
    if (active === undefined && state.skipFilter.has(plugin.name)) continue;
    const s = plugin.filter(state, node);
    if (s.code !== "Success") return withPlugin(s, plugin.name);
  }
  return SUCCESS;
}

/**
 * runFilter over many nodes, plugin by plugin: rejected[i] ends as nodes[i]'s first rejection
 * (undefined when every filter passes), the same status runFilter would return.
 */
export function runFilterBatch(fw: Framework, state: CycleState, nodes: readonly NodeInfo[], rejected: (Status | undefined)[]): void {
  const plugins = state.activeFilters ?? fw.filter.filter((p) => !state.skipFilter.has(p.name));
  for (let p = 0; p < plugins.length; p++) {
    const plugin = plugins[p] as FilterPlugin;
    if (plugin.filterAll !== undefined) {
      plugin.filterAll(state, nodes, rejected);
      continue;
    }
    for (let i = 0; i < nodes.length; i++) {
      if (rejected[i] !== undefined) continue;
      const s = plugin.filter(state, nodes[i] as NodeInfo);
      if (s.code !== "Success") rejected[i] = withPlugin(s, plugin.name);
    }
  }
}

export interface FilterRecord {
  readonly plugin: string;
  readonly code: Status["code"];
  readonly reasons: readonly string[];
}

/** Every filter's verdict on one node (explain mode): skipped plugins report Skip. */
export function runFilterAll(fw: Framework, state: CycleState, node: NodeInfo): FilterRecord[] {
  const out: FilterRecord[] = [];
  for (const plugin of fw.filter) {
    if (state.skipFilter.has(plugin.name)) {
      out.push({ plugin: plugin.name, code: "Skip", reasons: [] });
      continue;
    }
    const s = plugin.filter(state, node);
    out.push({ plugin: plugin.name, code: s.code, reasons: [...s.reasons] });
  }
  return out;
}

export function runPreScore(fw: Framework, state: CycleState, nodes: readonly NodeInfo[]): Status {
  for (const plugin of fw.preScore) {
    const s = plugin.preScore(state, nodes);
    if (s.code === "Skip") state.skipScore.add(plugin.name);
    else if (s.code !== "Success") return withPlugin(s, plugin.name);
  }
  return SUCCESS;
}

export interface PluginScores {
  readonly plugin: string;
  readonly weight: number;
  readonly raw: readonly number[];
  readonly normalized: readonly number[];
}

/** Score + NormalizeScore for every non-skipped score plugin, aligned with `nodes`. */
export function runScore(fw: Framework, state: CycleState, nodes: readonly NodeInfo[]): PluginScores[] {
  const out: PluginScores[] = [];
  for (const { plugin, weight } of fw.score) {
    if (state.skipScore.has(plugin.name)) continue;
    const raw = new Array<number>(nodes.length).fill(0);
    if (plugin.scoreAll !== undefined) plugin.scoreAll(state, nodes, raw);
    else for (let i = 0; i < nodes.length; i++) raw[i] = plugin.score(state, nodes[i] as NodeInfo);
    // Without a NormalizeScore the normalized scores are the raw ones: share the array (both read-only).
    const normalized = plugin.normalizeScore === undefined ? raw : raw.slice();
    plugin.normalizeScore?.(state, nodes, normalized);
    out.push({ plugin: plugin.name, weight, raw, normalized });
  }
  return out;
}

function intersect(a: Set<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}

function withPlugin(s: Status, plugin: string): Status {
  return s.plugin === plugin ? s : { code: s.code, reasons: s.reasons, plugin };
}

/**
 * A batch filter that applies a per-node filter to every node not yet rejected, recording the
 * first rejection: for plugins whose batch form is only the loop (it saves the runner's per-node
 * dispatch).
 */
export function filterEach(filter: (state: CycleState, node: NodeInfo) => Status): NonNullable<FilterPlugin["filterAll"]> {
  return (state, nodes, rejected) => {
    for (let i = 0; i < nodes.length; i++) {
      if (rejected[i] !== undefined) continue;
      const s = filter(state, nodes[i] as NodeInfo);
      if (s.code !== "Success") rejected[i] = s;
    }
  };
}
