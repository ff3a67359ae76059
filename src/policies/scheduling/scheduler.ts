/**
 * The scheduler: one scheduling cycle per call (PreFilter → Filter over a rotating window of nodes
 * sized by percentageOfNodesToScore → PreScore/Score/Normalize → weighted total → reservoir pick
 * among the best, or PostFilter/preemption). Pure apart from its own bookkeeping: the rotating
 * start index, pods it has assumed bound (until the view shows the binding) and nominations.
 */
import { assert } from "../../model/assert.ts";
import { objectKey, type Node, type Pod } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { Explanation, NodeExplanation, ScoreRecord } from "./explanation.ts";
import {
  CycleState,
  runFilter,
  runFilterAll,
  runFilterBatch,
  runPreFilter,
  runPreScore,
  runScore,
  type Framework,
  type FrameworkHandle,
  type NodeDryRun,
  type PluginScores,
  type PreFilterOutcome,
  podDependentPlugins,
} from "./framework.ts";
import { buildNodeInfo, NodeColumns, type NodeInfo } from "./node-info.ts";
import { podInfoOf, podPriority, type PodInfo } from "./pod-info.ts";
import { defaultProfile, defaultSchedulerName, mergeProfile, type Profile } from "./profile.ts";
import { buildFramework, type PluginFactory } from "./registry.ts";
import type { NodeStatuses } from "./node-statuses.ts";
import { emptyOverlay, orderedNodes, Snapshot, type PlacedPod, type PodOverlay, type SchedulingView } from "./snapshot.ts";
import { isRejection, type Status } from "./status.ts";

export interface SchedulerConfig {
  profiles: Profile[];
  /** Plugins by name; defaults to the in-tree registry (pass a copy with extra, out-of-tree plugins). */
  registry?: ReadonlyMap<string, PluginFactory>;
  /** 0 or unset: upstream's adaptive default (50 − nodes/125, at least 5 %). */
  percentageOfNodesToScore?: number;
  /**
   * Recount mode (KUBETWIN_RECOUNT, read by the CLI): every N-th cycle rebuilds the incremental
   * caches from scratch and asserts they agree. 0 or unset: off. Decisions are the same either way.
   */
  recountEvery?: number;
}

export type ScheduleResult =
  | { kind: "Bind"; podKey: string; nodeName: string; explanation: Explanation }
  | {
      kind: "Unschedulable";
      podKey: string;
      message: string;
      nominatedNodeName?: string;
      /** Pod keys to evict so the pod fits on nominatedNodeName (preemption). */
      victims: string[];
      /** False when no node failed for a reason that removing pods could fix. */
      resolvable: boolean;
      explanation: Explanation;
    };

export interface Scheduler {
  /** One scheduling cycle for one pod: filter, score, select, or PostFilter/preemption. */
  scheduleOne(view: SchedulingView, podKey: string, prng: Prng): ScheduleResult;
  /** Drops an assumed binding whose write failed, so its resources are free again. */
  forget(podKey: string): void;
  /** The framework for a schedulerName (undefined when no profile has it). */
  framework(schedulerName: string): Framework | undefined;
  /** Every profile's framework, in profile order (the queue reads their event registrations). */
  frameworks(): readonly Framework[];
  /** Cycles run in recount mode so far (recountEvery). */
  recounts(): number;
}

export const minFeasibleNodesToFind = 100;
export const minFeasibleNodesPercentageToFind = 5;

/** upstream numFeasibleNodesToFind. */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let p = percentage;
  if (p >= 100) return numAllNodes;
  if (p <= 0) {
    p = 50 - Math.trunc(numAllNodes / 125);
    if (p < minFeasibleNodesPercentageToFind) p = minFeasibleNodesPercentageToFind;
  }
  const n = Math.trunc((numAllNodes * p) / 100);
  return n < minFeasibleNodesToFind ? minFeasibleNodesToFind : n;
}

/** Validation errors of a config (unknown plugins, bad args, duplicate profiles). */
export function validateSchedulerConfig(config: SchedulerConfig): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const profile of config.profiles.length > 0 ? config.profiles : [defaultProfile]) {
    const merged = mergeProfile(profile);
    if (seen.has(merged.schedulerName)) errors.push(`duplicate profile with scheduler name "${merged.schedulerName}"`);
    seen.add(merged.schedulerName);
    const built = buildFramework(merged, config.registry);
    if (built.kind === "Invalid") errors.push(...built.errors.map((e) => `profiles[${merged.schedulerName}]: ${e}`));
  }
  return errors;
}

interface Placement {
  readonly pod: Pod;
  readonly nodeName: string;
}

interface CycleOptions {
  /** Stop filtering after numFeasibleNodesToFind feasible nodes (false in explain mode). */
  readonly sample: boolean;
  /** Record every node's filter and score detail. */
  readonly detail: boolean;
}

export function createScheduler(config: SchedulerConfig): Scheduler {
  const errors = validateSchedulerConfig(config);
  assert(errors.length === 0, `invalid scheduler config: ${errors.join("; ")}`);
  const frameworks = new Map<string, { framework: Framework; percentage: number }>();
  for (const profile of config.profiles.length > 0 ? config.profiles : [defaultProfile]) {
    const merged = mergeProfile(profile);
    const built = buildFramework(merged, config.registry);
    assert(built.kind === "Ok", "profile validated above");
    frameworks.set(merged.schedulerName, {
      framework: built.framework,
      percentage: merged.percentageOfNodesToScore ?? config.percentageOfNodesToScore ?? 0,
    });
  }
  const assumed = new Map<string, Placement>();
  const nominated = new Map<string, Placement>();
  let nextStartNodeIndex = 0;
  const recountEvery = config.recountEvery ?? 0;
  assert(Number.isInteger(recountEvery) && recountEvery >= 0, `recountEvery must be a whole number ≥ 0, got ${recountEvery}`);
  let cycles = 0;
  let recounts = 0;

  /** Drops assumptions and nominations the view has caught up with (bound or gone). */
  const reconcile = (view: SchedulingView): void => {
    for (const [key, placement] of assumed) {
      const pod = view.pods.get(key);
      if (pod === undefined || pod !== placement.pod || pod.spec.nodeName !== undefined) assumed.delete(key);
    }
    for (const [key, placement] of nominated) {
      const pod = view.pods.get(key);
      if (pod === undefined || pod !== placement.pod || pod.spec.nodeName !== undefined) nominated.delete(key);
    }
  };

  const overlayFor = (pod: Pod, podKey: string): PodOverlay => {
    if (assumed.size === 0 && nominated.size === 0) return emptyOverlay;
    const byNode = new Map<string, Pod[]>();
    const all: PlacedPod[] = [];
    const add = (key: string, p: Placement): void => {
      let list = byNode.get(p.nodeName);
      if (list === undefined) byNode.set(p.nodeName, (list = []));
      list.push(p.pod);
      all.push({ pod: p.pod, key, nodeName: p.nodeName });
    };
    for (const key of [...assumed.keys()].sort()) add(key, assumed.get(key) as Placement);
    const priority = podPriority(pod);
    for (const key of [...nominated.keys()].sort()) {
      const p = nominated.get(key) as Placement;
      if (key !== podKey && !assumed.has(key) && podPriority(p.pod) >= priority) add(key, p);
    }
    return { podsOn: (name) => byNode.get(name) ?? [], all: () => all };
  };

  return {
    framework: (name) => frameworks.get(name)?.framework,
    frameworks: () => [...frameworks.values()].map((e) => e.framework),
    recounts: () => recounts,
    forget(podKey: string): void {
      assumed.delete(podKey);
    },
    scheduleOne(view: SchedulingView, podKey: string, prng: Prng): ScheduleResult {
      const pod = view.pods.get(podKey);
      const schedulerName = pod?.spec.schedulerName || defaultSchedulerName;
      const entry = frameworks.get(schedulerName);
      if (pod === undefined || pod.spec.nodeName !== undefined || entry === undefined) {
        const why = pod === undefined ? "not found" : pod.spec.nodeName !== undefined ? "already bound" : `has no profile "${schedulerName}"`;
        return unschedulable(podKey, `pod ${podKey} ${why}`, emptyExplanation(schedulerName, view.nodes.size));
      }
      reconcile(view);
      const snapshot = new Snapshot(view, orderedNodes(view.nodes, view.nodesVersion), overlayFor(pod, podKey));
      cycles++;
      if (recountEvery > 0 && cycles % recountEvery === 0) {
        snapshot.recount = true;
        snapshot.verifyCaches();
        recounts++;
      }
      const cycle = runCycle(entry.framework, snapshot, pod, prng, { sample: true, detail: false }, {
        percentage: entry.percentage,
        startIndex: nextStartNodeIndex,
        nominatedNodeName: nominated.get(podKey)?.nodeName ?? pod.status.nominatedNodeName,
      });
      if (snapshot.nodes.length > 0) nextStartNodeIndex = (nextStartNodeIndex + cycle.processed) % snapshot.nodes.length;
      const result = cycle.result;
      if (result.kind === "Bind") {
        assumed.set(podKey, { pod, nodeName: result.nodeName });
        nominated.delete(podKey);
      } else if (result.nominatedNodeName !== undefined) {
        nominated.set(podKey, { pod, nodeName: result.nominatedNodeName });
      }
      return result;
    },
  };
}

function emptyExplanation(profile: string, nodesTotal: number): Explanation {
  return { profile, nodesTotal, nodesEvaluated: 0, nodesFeasible: 0, rejections: [], rejectedPlugins: [], selectedNode: null, selectedScore: null };
}

function unschedulable(podKey: string, message: string, explanation: Explanation): ScheduleResult {
  return { kind: "Unschedulable", podKey, message, victims: [], resolvable: false, explanation };
}

interface CycleInputs {
  readonly percentage: number;
  readonly startIndex: number;
  readonly nominatedNodeName: string | undefined;
}

export interface CycleOutcome {
  readonly result: ScheduleResult;
  /** Nodes the filters visited (advances the rotating start index). */
  readonly processed: number;
}

/** Reason histogram, sorted like upstream's FitError ("<count> <reason>" strings sorted). */
function histogram(statuses: NodeStatuses): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  // Nodes rejected alike often share one Status value: count each run of the same object once.
  let run: Status | undefined;
  let length = 0;
  const flush = (): void => {
    if (run !== undefined) for (const r of run.reasons) counts.set(r, (counts.get(r) ?? 0) + length);
  };
  statuses.forEachValue((s) => {
    if (s === run) {
      length++;
      return;
    }
    flush();
    run = s;
    length = 1;
  });
  flush();
  return [...counts.entries()]
    .map(([reason, count]) => ({ reason, count, text: `${count} ${reason}` }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map(({ reason, count }) => ({ reason, count }));
}

function rejectedPlugins(statuses: NodeStatuses): string[] {
  const names = new Set<string>();
  let last: Status | undefined;
  statuses.forEachValue((s) => {
    if (s !== last && s.plugin !== "") names.add(s.plugin);
    last = s;
  });
  return [...names].sort();
}

/** The handle PostFilter plugins get (exported for tests). */
export function frameworkHandle(fw: Framework, prng: Prng): FrameworkHandle {
  const podDependent = podDependentPlugins(fw);
  const podFitsOn = (state: CycleState, snapshot: Snapshot, nodeName: string): boolean => {
    const child = state.forSnapshot(snapshot, podDependent);
    const removed = snapshot.excludedSince(state.snapshot);
    for (const plugin of fw.preFilter) if (plugin.removePods !== undefined && !child.skipFilter.has(plugin.name)) plugin.removePods(state, child, removed);
    const pre = runPreFilter(fw, child);
    if (pre.status.code !== "Success") return false;
    if (pre.nodeNames !== undefined && !pre.nodeNames.has(nodeName)) return false;
    const info = snapshot.nodeInfoByName(nodeName);
    return info !== undefined && runFilter(fw, child, info).code === "Success";
  };
  return {
    framework: fw,
    prng,
    podFitsOn,
    dryRun(state: CycleState): NodeDryRun | undefined {
      for (const name of podDependent) if (!state.skipFilter.has(name)) return undefined;
      return nodeDryRun(fw, state, podDependent, podFitsOn);
    },
  };
}

/**
 * FrameworkHandle.dryRun once no pod-dependent plugin is active. Why it answers what podFitsOn on a
 * `without` snapshot answers: that child state holds the parent's data minus the pod-dependent
 * plugins' (all skipped, so never read), whatever pods are gone; its PreFilter skips the same
 * plugins and reruns the others, whose results depend on the pod and the view only (they do not
 * count pods), so one PreFilter run serves every "what if" of the cycle; the other plugins read
 * the view, never the snapshot's pods; and the node's NodeInfo in the `without` snapshot is
 * buildNodeInfo over the parent's pods minus the excluded ones, built here into one scratch row
 * (each build bumps the row's generation, so a NodeInfo kept past its check fails its next read).
 * Recount mode (KUBETWIN_RECOUNT) asserts every answer against podFitsOn.
 */
function nodeDryRun(fw: Framework, state: CycleState, podDependent: readonly string[], podFitsOn: FrameworkHandle["podFitsOn"]): NodeDryRun {
  const child = state.forSnapshot(state.snapshot, podDependent);
  const pre = runPreFilter(fw, child);
  const columns = new NodeColumns(1);
  return {
    fits(node: NodeInfo, pods: readonly Pod[], infos?: readonly PodInfo[]): boolean {
      let fits = pre.status.code === "Success" && (pre.nodeNames === undefined || pre.nodeNames.has(node.name));
      if (fits) fits = runFilter(fw, child, buildNodeInfo(node.node, pods, columns, 0, infos)).code === "Success";
      if (state.snapshot.recount) {
        assert(infos === undefined || (infos.length === pods.length && infos.every((info, i) => info === podInfoOf(pods[i] as Pod))), `preemption dry run on ${node.name}: pod infos out of line`);
        const kept = new Set(pods);
        const gone = new Set<string>();
        for (const p of node.pods) if (!kept.has(p)) gone.add(objectKey(p.metadata));
        assert(podFitsOn(state, state.snapshot.without(gone), node.name) === fits, `preemption dry run on ${node.name} disagrees with the what-if snapshot`);
      }
      return fits;
    },
  };
}

/**
 * Filters candidates from `start` (wrapping around) until `toFind` pass, in chunks of the number
 * still needed: a chunk can only reach `toFind` at its last node, so the nodes visited and the
 * rejections recorded (in node order) are exactly those of filtering one node at a time, while
 * each filter plugin runs over the whole chunk at once.
 */
function findFeasible(
  fw: Framework,
  state: CycleState,
  count: number,
  infosInto: (start: number, size: number, out: NodeInfo[]) => void,
  start: number,
  toFind: number,
  statuses: NodeStatuses,
  /** Candidates are the snapshot's nodes: a position is a row. */
  byRow: boolean,
): { feasible: NodeInfo[]; processed: number } {
  const feasible: NodeInfo[] = [];
  const chunk: NodeInfo[] = [];
  const rejected: (Status | undefined)[] = [];
  let processed = 0;
  let at = start;
  while (processed < count && feasible.length < toFind) {
    const size = Math.min(toFind - feasible.length, count - processed);
    chunk.length = 0;
    rejected.length = 0;
    infosInto(at, size, chunk);
    for (let k = 0; k < size; k++) rejected.push(undefined);
    runFilterBatch(fw, state, chunk, rejected);
    for (let k = 0, row = at; k < size; k++, row = row + 1 === count ? 0 : row + 1) {
      const s = rejected[k];
      if (s === undefined) feasible.push(chunk[k] as NodeInfo);
      else if (byRow) statuses.setAt(row, s);
      else statuses.set((chunk[k] as NodeInfo).name, s);
    }
    at = (at + size) % count;
    processed += size;
  }
  return { feasible, processed };
}

/** Explain mode: every filter on every candidate, each node's records kept. */
function filterWithDetail(
  fw: Framework,
  state: CycleState,
  count: number,
  infoAt: (at: number) => NodeInfo,
  statuses: NodeStatuses,
  details: Map<string, NodeExplanation>,
): NodeInfo[] {
  const feasible: NodeInfo[] = [];
  for (let at = 0; at < count; at++) {
    const info = infoAt(at);
    const records = runFilterAll(fw, state, info);
    const failed = records.find((r) => r.code !== "Success" && r.code !== "Skip");
    details.set(info.name, { name: info.name, filter: records, scores: [], total: null });
    if (failed === undefined) feasible.push(info);
    else statuses.set(info.name, { code: failed.code, reasons: records.flatMap((r) => (r.code === "Success" || r.code === "Skip" ? [] : r.reasons)), plugin: failed.plugin });
  }
  return feasible;
}

/**
 * Upstream findNodesThatFitPod (pkg/scheduler/schedule_one.go): when a PreFilter result names
 * nodes, every other node gets UnschedulableAndUnresolvable "node(s) didn't satisfy plugin(s)
 * [NodeAffinity]" (diagnosis.NodeToStatus.SetAbsentNodesStatus); explain shows those nodes too.
 */
function excludeByPreFilterResult(snapshot: Snapshot, pre: PreFilterOutcome, statuses: NodeStatuses, details: Map<string, NodeExplanation> | undefined): void {
  const plugin = pre.restrictedBy[0] ?? "";
  const reason = `node(s) didn't satisfy plugin(s) [${pre.restrictedBy.join(" ")}]`;
  const absent: Status = { code: "UnschedulableAndUnresolvable", reasons: [reason], plugin };
  for (const node of snapshot.nodes) {
    const name = node.metadata.name;
    if (pre.nodeNames?.has(name) === true) continue;
    statuses.set(name, absent);
    details?.set(name, { name, filter: [{ plugin, code: absent.code, reasons: absent.reasons }], scores: [], total: null });
  }
}

/** One scheduling cycle. Exported for explain (detail mode, all nodes) and tests. */
export function runCycle(fw: Framework, snapshot: Snapshot, pod: Pod, prng: Prng, options: CycleOptions, inputs: CycleInputs): CycleOutcome {
  const podKey = objectKey(pod.metadata);
  const nodesTotal = snapshot.nodes.length;
  const state = new CycleState(pod, snapshot);
  const statuses = snapshot.newNodeStatuses();
  const pre = runPreFilter(fw, state);
  let candidates = snapshot.nodes;
  if (pre.status.code !== "Success") {
    for (const node of candidates) statuses.set(node.metadata.name, pre.status);
    // upstream FitError: a PreFilter rejection is reported once, not per node.
    const preFilterMsg = pre.status.reasons.join(", ");
    return { result: failure(fw, state, prng, statuses, nodesTotal, 0, options, [], preFilterMsg), processed: 0 };
  }
  const restricted = pre.nodeNames !== undefined;
  const details = new Map<string, NodeExplanation>();
  if (restricted) {
    candidates = candidates.filter((n) => pre.nodeNames?.has(n.metadata.name));
    excludeByPreFilterResult(snapshot, pre, statuses, options.detail ? details : undefined);
  }

  // Upstream evaluateNominatedNode: a preemptor retries its nominated node first.
  if (options.sample && inputs.nominatedNodeName !== undefined) {
    const info = candidates.find((n) => n.metadata.name === inputs.nominatedNodeName);
    if (info !== undefined && runFilter(fw, state, snapshot.nodeInfo(info)).code === "Success") {
      const explanation: Explanation = {
        profile: fw.profileName, nodesTotal, nodesEvaluated: 1, nodesFeasible: 1, rejections: [], rejectedPlugins: [],
        selectedNode: info.metadata.name, selectedScore: null,
      };
      return { result: { kind: "Bind", podKey, nodeName: info.metadata.name, explanation }, processed: 0 };
    }
  }

  const count = candidates.length;
  const infoAt = restricted ? (at: number): NodeInfo => snapshot.nodeInfo(candidates[at] as Node) : (at: number): NodeInfo => snapshot.nodeInfoAt(at);
  let feasible: NodeInfo[];
  let processed: number;
  if (options.detail) {
    feasible = filterWithDetail(fw, state, count, infoAt, statuses, details);
    processed = count;
  } else {
    const toFind = options.sample ? numFeasibleNodesToFind(inputs.percentage, count) : count;
    const start = options.sample && count > 0 ? inputs.startIndex % count : 0;
    const infosInto = restricted
      ? (from: number, size: number, out: NodeInfo[]): void => {
          for (let k = 0; k < size; k++) out.push(infoAt((from + k) % count));
        }
      : (from: number, size: number, out: NodeInfo[]): void => snapshot.nodeInfosInto(from, size, out);
    ({ feasible, processed } = findFeasible(fw, state, count, infosInto, start, toFind, statuses, !restricted));
  }
  const detailList = (): NodeExplanation[] => snapshot.nodes.flatMap((n) => details.get(n.metadata.name) ?? []);
  if (feasible.length === 0) {
    return { result: failure(fw, state, prng, statuses, nodesTotal, processed, options, options.detail ? detailList() : []), processed };
  }
  const rejections = histogram(statuses);
  if (feasible.length === 1 && !options.detail) {
    const only = feasible[0] as NodeInfo;
    const explanation: Explanation = {
      profile: fw.profileName, nodesTotal, nodesEvaluated: processed, nodesFeasible: 1, rejections, rejectedPlugins: rejectedPlugins(statuses),
      selectedNode: only.name, selectedScore: null,
    };
    const refused = reserveAndBind(fw, state, only.name);
    if (refused !== undefined) {
      return { result: { kind: "Unschedulable", podKey, message: `${refused.plugin}: ${refused.reasons.join(", ")}`, victims: [], resolvable: true, explanation }, processed };
    }
    return { result: { kind: "Bind", podKey, nodeName: only.name, explanation }, processed };
  }
  const totals = new Array<number>(feasible.length).fill(0);
  const preScore = runPreScore(fw, state, feasible);
  assert(preScore.code === "Success", `PreScore ${preScore.plugin} failed: ${preScore.reasons.join(", ")}`);
  const pluginScores: PluginScores[] = runScore(fw, state, feasible);
  for (const ps of pluginScores) {
    for (let i = 0; i < totals.length; i++) totals[i] = (totals[i] as number) + (ps.normalized[i] as number) * ps.weight;
  }
  if (pluginScores.length === 0) totals.fill(1);
  const chosen = selectHost(totals, prng);
  const node = feasible[chosen] as NodeInfo;
  if (options.detail) {
    feasible.forEach((info, i) => {
      const d = details.get(info.name) as NodeExplanation;
      const scores: ScoreRecord[] = pluginScores.map((ps) => ({ plugin: ps.plugin, raw: ps.raw[i] as number, normalized: ps.normalized[i] as number, weight: ps.weight }));
      details.set(info.name, { ...d, scores, total: totals[i] as number });
    });
  }
  const explanation: Explanation = {
    profile: fw.profileName, nodesTotal, nodesEvaluated: processed, nodesFeasible: feasible.length, rejections, rejectedPlugins: rejectedPlugins(statuses),
    selectedNode: node.name, selectedScore: totals[chosen] as number,
    ...(options.detail ? { nodes: detailList() } : {}),
  };
  const refused = options.sample ? reserveAndBind(fw, state, node.name) : undefined;
  if (refused !== undefined) {
    const message = `${refused.plugin}: ${refused.reasons.join(", ")}`;
    return { result: { kind: "Unschedulable", podKey, message, victims: [], resolvable: true, explanation: { ...explanation, selectedNode: null } }, processed };
  }
  return { result: { kind: "Bind", podKey, nodeName: node.name, explanation }, processed };
}

/**
 * Reserve (undone in reverse order if one refuses), then the first Bind plugin that does not Skip.
 * Returns the refusing status, or undefined when the pod may be bound.
 */
function reserveAndBind(fw: Framework, state: CycleState, nodeName: string): Status | undefined {
  for (let i = 0; i < fw.reserve.length; i++) {
    const s = (fw.reserve[i] as Framework["reserve"][number]).reserve(state, nodeName);
    if (s.code !== "Success") {
      for (let j = i; j >= 0; j--) (fw.reserve[j] as Framework["reserve"][number]).unreserve(state, nodeName);
      return { ...s, plugin: (fw.reserve[i] as Framework["reserve"][number]).name };
    }
  }
  for (const plugin of fw.bind) {
    const s = plugin.bind(state, nodeName);
    if (s.code === "Skip") continue;
    if (s.code !== "Success") {
      for (let j = fw.reserve.length - 1; j >= 0; j--) (fw.reserve[j] as Framework["reserve"][number]).unreserve(state, nodeName);
      return { ...s, plugin: plugin.name };
    }
    return undefined;
  }
  return undefined;
}

/** upstream selectHost: the highest total; ties broken by reservoir sampling with the prng. */
export function selectHost(totals: readonly number[], prng: Prng): number {
  assert(totals.length > 0, "selectHost needs at least one node");
  let selected = 0;
  let max = totals[0] as number;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    const t = totals[i] as number;
    if (t > max) {
      max = t;
      selected = i;
      ties = 1;
    } else if (t === max) {
      ties++;
      if (prng.int(0, ties) === 0) selected = i;
    }
  }
  return selected;
}

function failure(
  fw: Framework,
  state: CycleState,
  prng: Prng,
  statuses: NodeStatuses,
  nodesTotal: number,
  processed: number,
  options: CycleOptions,
  details: NodeExplanation[],
  preFilterMsg?: string,
): ScheduleResult {
  const rejections = histogram(statuses);
  let message = `0/${nodesTotal} nodes are available`;
  if (preFilterMsg !== undefined) message += `: ${preFilterMsg}.`;
  else message += rejections.length > 0 ? `: ${rejections.map((r) => `${r.count} ${r.reason}`).join(", ")}.` : ".";
  let resolvable = false;
  statuses.forEachValue((s) => {
    if (s.code === "Unschedulable") resolvable = true;
  });
  const explanation: Explanation = {
    profile: fw.profileName, nodesTotal, nodesEvaluated: processed, nodesFeasible: 0, rejections, rejectedPlugins: rejectedPlugins(statuses),
    selectedNode: null, selectedScore: null,
    ...(options.detail ? { nodes: details } : {}),
  };
  const base = { kind: "Unschedulable" as const, podKey: state.podKey, explanation };
  if (!options.sample) return { ...base, message, victims: [], resolvable };
  for (const plugin of fw.postFilter) {
    const r = plugin.postFilter(state, statuses, frameworkHandle(fw, prng.fork(`postfilter/${state.podKey}`)));
    if (r.status.code === "Success" && r.nominatedNodeName !== undefined) {
      return { ...base, message, nominatedNodeName: r.nominatedNodeName, victims: [...r.victims], resolvable: true };
    }
    if (isRejection(r.status) && r.status.reasons.length > 0) message += ` preemption: ${r.status.reasons.join(", ")}`;
  }
  return { ...base, message, victims: [], resolvable };
}
