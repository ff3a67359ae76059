/**
 * PodTopologySpread: DoNotSchedule constraints filter (skew = matching pods in the node's domain
 * + self-match − global minimum must not exceed maxSkew; minimum is 0 when fewer domains than
 * minDomains); ScheduleAnyway constraints score (fewer matching pods in the domain is better,
 * weighted by ln(domains + 2)). Pods without constraints get the system defaults (zone 5,
 * hostname 3) with a selector built from the ReplicaSets selecting them.
 */
import type { LabelSelector, LabelSelectorRequirement, Labels, Node, Pod, TopologySpreadConstraint } from "../../../model/objects.ts";
import { assertSameCounts, RowCounts, type Bump } from "../row-counts.ts";
import { selectorMatches } from "../../../model/labels.ts";
import type { CycleState, FilterPlugin, PreFilterPlugin, PreFilterResult, PreScorePlugin, ScorePlugin } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { podRequiredNodeAffinityMatches } from "../node-selector.ts";
import { goRound, maxNodeScore } from "../normalize.ts";
import type { PlacedPod, SchedulingView, Snapshot } from "../snapshot.ts";
import { skip, status, SUCCESS, type Status } from "../status.ts";
import { firstUntoleratedHardTaint } from "../tolerations.ts";
import { podPlacementEvents } from "../queueing-hints.ts";

export const podTopologySpreadName = "PodTopologySpread";
export const errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const errReasonNodeLabelNotMatch = "node(s) didn't match pod topology spread constraints (missing required label)";
const hostnameKey = "kubernetes.io/hostname";

export interface PodTopologySpreadArgs {
  defaultConstraints?: TopologySpreadConstraint[];
  defaultingType?: "System" | "List";
}

export const systemDefaultConstraints: TopologySpreadConstraint[] = [
  { topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", maxSkew: 5 },
  { topologyKey: hostnameKey, whenUnsatisfiable: "ScheduleAnyway", maxSkew: 3 },
];

export const defaultPodTopologySpreadArgs: PodTopologySpreadArgs = { defaultingType: "System" };

interface Constraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelSelector | undefined;
  readonly minDomains: number;
  readonly honorAffinity: boolean;
  readonly honorTaints: boolean;
}

interface ConstraintSet {
  readonly constraints: Constraint[];
  readonly systemDefaulted: boolean;
}

function withMatchLabelKeys(c: TopologySpreadConstraint, pod: Pod): LabelSelector | undefined {
  const keys = c.matchLabelKeys ?? [];
  if (c.labelSelector === undefined || keys.length === 0) return c.labelSelector;
  const extra: LabelSelectorRequirement[] = [];
  for (const key of keys) {
    const value = pod.metadata.labels[key];
    if (value !== undefined) extra.push({ key, operator: "In", values: [value] });
  }
  return { matchLabels: c.labelSelector.matchLabels, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra] };
}

function toConstraint(c: TopologySpreadConstraint, selector: LabelSelector | undefined): Constraint {
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector,
    minDomains: c.minDomains ?? 1,
    honorAffinity: (c.nodeAffinityPolicy ?? "Honor") === "Honor",
    honorTaints: (c.nodeTaintsPolicy ?? "Ignore") === "Honor",
  };
}

interface SelectorMemo {
  version: number;
  readonly byLabels: Map<string, LabelSelector | undefined>;
}

/**
 * defaultSelector per (namespace, labels), kept per ReplicaSet map while its replicaSetsVersion
 * holds: ReplicaSet selectors are immutable, so the answer changes only when a ReplicaSet is
 * created or removed. Spares a pass over every ReplicaSet on each scheduling cycle.
 */
const selectorMemos = new WeakMap<object, SelectorMemo>();

function defaultSelector(view: SchedulingView, pod: Pod): LabelSelector | undefined {
  const version = view.replicaSetsVersion;
  if (version === undefined) return computeDefaultSelector(view, pod);
  let memo = selectorMemos.get(view.replicaSets);
  if (memo === undefined || memo.version !== version) selectorMemos.set(view.replicaSets, (memo = { version, byLabels: new Map() }));
  const labels = pod.metadata.labels;
  let key = pod.metadata.namespace;
  for (const k of Object.keys(labels).sort()) key += `\u0000${k}\u0001${labels[k]}`;
  if (memo.byLabels.has(key)) return memo.byLabels.get(key);
  if (memo.byLabels.size >= 4096) memo.byLabels.clear();
  const selector = computeDefaultSelector(view, pod);
  memo.byLabels.set(key, selector);
  return selector;
}

/** Upstream helper.DefaultSelector, over the objects the twin models (ReplicaSets). */
function computeDefaultSelector(view: SchedulingView, pod: Pod): LabelSelector | undefined {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  let any = false;
  const sets = [...view.replicaSets.values()].filter(
    (rs) => rs.metadata.namespace === pod.metadata.namespace && selectorMatches(rs.spec.selector, pod.metadata.labels),
  );
  sets.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const rs of sets) {
    Object.assign(matchLabels, rs.spec.selector.matchLabels ?? {});
    matchExpressions.push(...(rs.spec.selector.matchExpressions ?? []));
    any = any || Object.keys(rs.spec.selector.matchLabels ?? {}).length > 0 || (rs.spec.selector.matchExpressions ?? []).length > 0;
  }
  return any ? { matchLabels, matchExpressions } : undefined;
}

function nodeHasAllKeys(node: Node, constraints: readonly Constraint[]): boolean {
  for (const c of constraints) if (!Object.hasOwn(node.metadata.labels, c.topologyKey)) return false;
  return true;
}

function includedByPolicies(c: Constraint, pod: Pod, node: Node): boolean {
  if (c.honorAffinity && !podRequiredNodeAffinityMatches(pod, node)) return false;
  if (c.honorTaints && firstUntoleratedHardTaint(node.spec.taints, pod.spec.tolerations, false) !== undefined) return false;
  return true;
}

/**
 * Adds each placed pod matching constraint i to its node's domain, where bit i of the node row's
 * entry in `countedBits` is set (one bit per constraint, rows as in the snapshot's nodes).
 */
function countPods(state: CycleState, constraints: readonly Constraint[], counts: Map<string, number>[], countedBits: Int32Array): void {
  const nodes = state.snapshot.nodes;
  const namespace = state.pod.metadata.namespace;
  const selectors = constraints.map((c) => c.selector);
  state.snapshot.forEachPlacedPodRowIn(namespace, selectors, (p, row) => {
    const bits = countedBits[row] as number;
    if (bits === 0 || p.metadata.deletionMs !== undefined || p.metadata.namespace !== namespace) return;
    const labels = (nodes[row] as Node).metadata.labels;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i] as Constraint;
      if (c.selector === undefined || (bits & (1 << i)) === 0 || !selectorMatches(c.selector, p.metadata.labels)) continue;
      const m = counts[i] as Map<string, number>;
      const value = labels[c.topologyKey] as string;
      m.set(value, (m.get(value) ?? 0) + 1);
    }
  });
}

const noRows = new Int32Array(0);

/** Recount mode: per constraint, the kept counts equal the recounted ones. */
function assertSameEach(kept: readonly Map<string, number>[], fresh: readonly Map<string, number>[], what: string): void {
  kept.forEach((m, i) => assertSameCounts(new Map([["", m]]), new Map([["", fresh[i] as Map<string, number>]]), `${what} [${i}]`));
}

/** The +1s a placed pod on a node (eligibility `bits`, `labels`) adds to the counts, as countPods counts. */
function spreadBumps(constraints: readonly Constraint[], namespace: string, p: Pod, bits: number, labels: Labels, out: Bump[]): void {
  if (bits === 0 || p.metadata.deletionMs !== undefined || p.metadata.namespace !== namespace) return;
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i] as Constraint;
    if (c.selector === undefined || (bits & (1 << i)) === 0 || !selectorMatches(c.selector, p.metadata.labels)) continue;
    out.push({ map: i, key: "", value: labels[c.topologyKey] as string, by: 1 });
  }
}

/**
 * Every row's contribution at once, from the pods the label index says may match (spreadBumps
 * still matches each): a from-scratch count costs the matching pods, not every pod of the cluster.
 */
function matchingPodBumps(snapshot: Snapshot, constraints: readonly Constraint[], namespace: string, eligible: Int32Array): (add: (row: number, b: Bump) => void) => void {
  return (add) => {
    const nodes = snapshot.nodes;
    const out: Bump[] = [];
    snapshot.forEachViewPodRowIn(namespace, constraints.map((c) => c.selector), (p, row) => {
      out.length = 0;
      spreadBumps(constraints, namespace, p, eligible[row] as number, (nodes[row] as Node).metadata.labels, out);
      for (const b of out) add(row, b);
    });
  };
}

/**
 * DoNotSchedule counts from the view's pods kept across cycles (RowCounts), assumed pods added;
 * undefined when they cannot be kept (no journal, pods excluded, nodeTaintsPolicy Honor).
 */
function keptCounts(state: CycleState, constraints: readonly Constraint[], domains: Domains): Map<string, number>[] | undefined {
  const snapshot = state.snapshot;
  if (snapshot.view.nodeChanges === undefined || snapshot.hasExclusions() || constraints.some((c) => c.honorTaints)) return undefined;
  const pod = state.pod;
  const namespace = pod.metadata.namespace;
  const nodes = snapshot.nodes;
  const affinity = [pod.spec.nodeSelector ?? null, pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null];
  const signature = JSON.stringify([namespace, constraints.map((c) => [c.topologyKey, c.selector ?? null, c.honorAffinity]), affinity]);
  const kept = snapshot.perView(`${podTopologySpreadName}/counts ${signature}`, () => new RowCounts(constraints.length, nodes.length));
  kept.sync(
    snapshot,
    (row) => {
      const out: Bump[] = [];
      const labels = (nodes[row] as Node).metadata.labels;
      const bits = domains.eligible[row] as number;
      if (bits !== 0) snapshot.forEachViewPodOnRow(row, (p) => spreadBumps(constraints, namespace, p, bits, labels, out));
      return out;
    },
    matchingPodBumps(snapshot, constraints, namespace, domains.eligible),
  );
  const counts = domains.values.map((values, i) => {
    const m = new Map<string, number>();
    for (const value of values) m.set(value, 0);
    for (const [value, n] of kept.maps[i]?.get("") ?? []) m.set(value, n);
    return m;
  });
  const out: Bump[] = [];
  for (const placed of snapshot.overlayPods()) {
    const row = snapshot.rowOf(placed.nodeName);
    if (row !== undefined) spreadBumps(constraints, namespace, placed.pod, domains.eligible[row] as number, (nodes[row] as Node).metadata.labels, out);
  }
  for (const b of out) {
    const m = counts[b.map] as Map<string, number>;
    m.set(b.value, (m.get(b.value) ?? 0) + 1);
  }
  return counts;
}

interface Domains {
  /** Per node row: bit i set when the node has all keys and passes constraint i's inclusion policies. */
  readonly eligible: Int32Array;
  /** Per constraint: its domain values over those nodes, in node order. */
  readonly values: readonly (readonly string[])[];
}

function computeDomains(nodes: readonly Node[], pod: Pod, constraints: readonly Constraint[]): Domains {
  const eligible = new Int32Array(nodes.length);
  const values = constraints.map(() => new Set<string>());
  for (let row = 0; row < nodes.length; row++) {
    const node = nodes[row] as Node;
    if (!nodeHasAllKeys(node, constraints)) continue;
    let bits = 0;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i] as Constraint;
      if (!includedByPolicies(c, pod, node)) continue;
      bits |= 1 << i;
      (values[i] as Set<string>).add(node.metadata.labels[c.topologyKey] as string);
    }
    eligible[row] = bits;
  }
  return { eligible, values: values.map((v) => [...v]) };
}

/**
 * DoNotSchedule domains. They depend on node labels, the constraints' keys and policies, and (for
 * nodeAffinityPolicy Honor) the pod's required node affinity: with nodeTaintsPolicy Ignore they are
 * kept per node order under that signature; Honor reads taints, which change in place.
 */
function filterDomains(state: CycleState, constraints: readonly Constraint[]): Domains {
  const pod = state.pod;
  const nodes = state.snapshot.nodes;
  if (constraints.some((c) => c.honorTaints)) return computeDomains(nodes, pod, constraints);
  const affinity = constraints.some((c) => c.honorAffinity)
    ? [pod.spec.nodeSelector ?? null, pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null]
    : null;
  const signature = JSON.stringify([constraints.map((c) => [c.topologyKey, c.honorAffinity]), affinity]);
  return state.snapshot.perNodeOrder(`${podTopologySpreadName}/domains ${signature}`, () => computeDomains(nodes, pod, constraints));
}

/**
 * ScheduleAnyway counts from the view's pods kept across cycles, for the domains already in
 * `counts` (the candidates'): a node counts for constraint i when it has the key (all keys when
 * `requireAll`) and passes the inclusion policies, which depend on labels only unless
 * nodeTaintsPolicy is Honor. Fills `counts` and returns true, or false when they cannot be kept.
 */
function keptScoreCounts(state: CycleState, constraints: readonly Constraint[], requireAll: boolean, counts: Map<string, number>[]): boolean {
  const snapshot = state.snapshot;
  if (snapshot.view.nodeChanges === undefined || snapshot.hasExclusions() || constraints.some((c) => c.honorTaints)) return false;
  const pod = state.pod;
  const namespace = pod.metadata.namespace;
  const nodes = snapshot.nodes;
  const affinity = [pod.spec.nodeSelector ?? null, pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null];
  const keys = JSON.stringify([constraints.map((c) => [c.topologyKey, c.honorAffinity]), requireAll, affinity]);
  const rows = snapshot.perNodeOrder(`${podTopologySpreadName}/score-rows ${keys}`, () => {
    const bits = new Int32Array(nodes.length);
    for (let row = 0; row < nodes.length; row++) {
      const node = nodes[row] as Node;
      if (requireAll && !nodeHasAllKeys(node, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i] as Constraint;
        if (node.metadata.labels[c.topologyKey] !== undefined && includedByPolicies(c, pod, node)) bits[row] = (bits[row] as number) | (1 << i);
      }
    }
    return bits;
  });
  const signature = JSON.stringify([namespace, constraints.map((c) => c.selector ?? null), keys]);
  const kept = snapshot.perView(`${podTopologySpreadName}/score-counts ${signature}`, () => new RowCounts(constraints.length, nodes.length));
  kept.sync(
    snapshot,
    (row) => {
      const out: Bump[] = [];
      const labels = (nodes[row] as Node).metadata.labels;
      const bits = rows[row] as number;
      if (bits !== 0) snapshot.forEachViewPodOnRow(row, (p) => spreadBumps(constraints, namespace, p, bits, labels, out));
      return out;
    },
    matchingPodBumps(snapshot, constraints, namespace, rows),
  );
  counts.forEach((m, i) => {
    const sums = kept.maps[i]?.get("");
    if (sums !== undefined) for (const value of m.keys()) m.set(value, sums.get(value) ?? 0);
  });
  const out: Bump[] = [];
  for (const placed of snapshot.overlayPods()) {
    const row = snapshot.rowOf(placed.nodeName);
    if (row !== undefined) spreadBumps(constraints, namespace, placed.pod, rows[row] as number, (nodes[row] as Node).metadata.labels, out);
  }
  for (const b of out) {
    const m = counts[b.map] as Map<string, number>;
    const n = m.get(b.value);
    if (n !== undefined) m.set(b.value, n + 1);
  }
  return true;
}

interface FilterState {
  readonly constraints: Constraint[];
  /** Per constraint: domain value → matching pods. */
  readonly counts: Map<string, number>[];
  readonly minMatch: number[];
  /** Per node row: the constraints counting pods there (Domains.eligible). */
  readonly eligible: Int32Array;
}

function minMatchOf(constraints: readonly Constraint[], counts: readonly Map<string, number>[]): number[] {
  return counts.map((m, i) => {
    let min = 2147483647;
    for (const v of m.values()) if (v < min) min = v;
    return m.size < (constraints[i] as Constraint).minDomains ? 0 : min;
  });
}

/** The filter state without the `removed` pods: each one countPods counted is taken off again. */
function withoutPods(state: CycleState, s: FilterState, removed: readonly PlacedPod[]): FilterState {
  const nodes = state.snapshot.nodes;
  const namespace = state.pod.metadata.namespace;
  const counts = s.counts.map((m) => new Map(m));
  for (const placed of removed) {
    const row = state.snapshot.rowOf(placed.nodeName);
    const p = placed.pod;
    if (row === undefined) continue;
    const bits = s.eligible[row] as number;
    if (bits === 0 || p.metadata.deletionMs !== undefined || p.metadata.namespace !== namespace) continue;
    const labels = (nodes[row] as Node).metadata.labels;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i] as Constraint;
      if (c.selector === undefined || (bits & (1 << i)) === 0 || !selectorMatches(c.selector, p.metadata.labels)) continue;
      const m = counts[i] as Map<string, number>;
      const value = labels[c.topologyKey] as string;
      m.set(value, (m.get(value) as number) - 1);
    }
  }
  return { constraints: s.constraints, counts, minMatch: minMatchOf(s.constraints, counts), eligible: s.eligible };
}

interface ScoreState {
  readonly constraints: Constraint[];
  readonly ignored: Set<string>;
  readonly counts: Map<string, number>[];
  readonly weights: number[];
}

export function newPodTopologySpread(args: PodTopologySpreadArgs): (PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin) | string[] {
  const defaultingType = args.defaultingType ?? "System";
  if (defaultingType === "System" && (args.defaultConstraints ?? []).length > 0) {
    return ["defaultConstraints: Invalid value: when .defaultingType is \"System\", .defaultConstraints must be empty"];
  }
  const defaults = defaultingType === "System" ? systemDefaultConstraints : (args.defaultConstraints ?? []);
  const filterKey = `${podTopologySpreadName}/filter`;
  const scoreKey = `${podTopologySpreadName}/score`;

  const constraintsFor = (state: CycleState, when: "DoNotSchedule" | "ScheduleAnyway"): ConstraintSet => {
    const pod = state.pod;
    const own = pod.spec.topologySpreadConstraints ?? [];
    if (own.length > 0) {
      return { constraints: own.filter((c) => c.whenUnsatisfiable === when).map((c) => toConstraint(c, withMatchLabelKeys(c, pod))), systemDefaulted: false };
    }
    const matching = defaults.filter((c) => c.whenUnsatisfiable === when);
    if (matching.length === 0) return { constraints: [], systemDefaulted: false };
    const selector = defaultSelector(state.snapshot.view, pod);
    if (selector === undefined) return { constraints: [], systemDefaulted: false };
    return { constraints: matching.map((c) => toConstraint(c, selector)), systemDefaulted: defaultingType === "System" };
  };

  const filterState = (state: CycleState): FilterState => {
    let s = state.read<FilterState>(filterKey);
    if (s !== undefined) return s;
    const pod = state.pod;
    const { constraints } = constraintsFor(state, "DoNotSchedule");
    let counts = constraints.map(() => new Map<string, number>());
    let eligible: Int32Array = noRows;
    if (constraints.length > 0) {
      const domains = filterDomains(state, constraints);
      eligible = domains.eligible;
      const recount = (): Map<string, number>[] => {
        const fresh = constraints.map(() => new Map<string, number>());
        domains.values.forEach((values, i) => {
          const m = fresh[i] as Map<string, number>;
          for (const value of values) m.set(value, 0);
        });
        countPods(state, constraints, fresh, eligible);
        return fresh;
      };
      const kept = keptCounts(state, constraints, domains);
      counts = kept ?? recount();
      if (kept !== undefined && state.snapshot.recount) assertSameEach(kept, recount(), "PodTopologySpread filter counts");
    }
    s = { constraints, counts, minMatch: minMatchOf(constraints, counts), eligible };
    state.write(filterKey, s);
    return s;
  };

  const scoreState = (state: CycleState, candidates: readonly NodeInfo[]): ScoreState => {
    const pod = state.pod;
    const { constraints, systemDefaulted } = constraintsFor(state, "ScheduleAnyway");
    if (constraints.length === 0) return { constraints, ignored: new Set(), counts: [], weights: [] };
    const requireAll = (pod.spec.topologySpreadConstraints ?? []).length > 0 || !systemDefaulted;
    const ignored = new Set<string>();
    const counts = constraints.map(() => new Map<string, number>());
    for (const info of candidates) {
      if (requireAll && !nodeHasAllKeys(info.node, constraints)) {
        ignored.add(info.name);
        continue;
      }
      constraints.forEach((c, i) => {
        const value = info.node.metadata.labels[c.topologyKey];
        if (value !== undefined) (counts[i] as Map<string, number>).set(value, 0);
      });
    }
    // Hostname domains are counted here too (one pass over matching pods) instead of per node in Score.
    const weights = constraints.map((c, i) =>
      Math.log((c.topologyKey === hostnameKey ? candidates.length - ignored.size : (counts[i] as Map<string, number>).size) + 2),
    );
    const fresh = state.snapshot.recount ? counts.map((m) => new Map(m)) : undefined;
    const kept = keptScoreCounts(state, constraints, requireAll, counts);
    const toCount = kept ? fresh : counts;
    if (toCount !== undefined) {
      const nodes = state.snapshot.nodes;
      const included = new Int32Array(nodes.length);
      for (let row = 0; row < nodes.length; row++) {
        const node = nodes[row] as Node;
        if (requireAll && !nodeHasAllKeys(node, constraints)) continue;
        let bits = 0;
        for (let i = 0; i < constraints.length; i++) {
          const c = constraints[i] as Constraint;
          const value = node.metadata.labels[c.topologyKey];
          if (value !== undefined && (toCount[i] as Map<string, number>).has(value) && includedByPolicies(c, pod, node)) bits |= 1 << i;
        }
        included[row] = bits;
      }
      countPods(state, constraints, toCount, included);
      if (kept) assertSameEach(counts, toCount, "PodTopologySpread score counts");
    }
    return { constraints, ignored, counts, weights };
  };

  return {
    name: podTopologySpreadName,
    eventsToRegister: () => podPlacementEvents,
    removePods(parent: CycleState, child: CycleState, removed: readonly PlacedPod[]): void {
      const s = parent.read<FilterState>(filterKey);
      if (s !== undefined) child.write(filterKey, withoutPods(child, s, removed));
    },
    preFilter(state: CycleState): PreFilterResult {
      return { status: filterState(state).constraints.length === 0 ? skip(podTopologySpreadName) : SUCCESS };
    },
    filter(state: CycleState, node: NodeInfo): Status {
      const s = filterState(state);
      const labels = node.node.metadata.labels;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i] as Constraint;
        const value = labels[c.topologyKey];
        if (value === undefined) return status("UnschedulableAndUnresolvable", podTopologySpreadName, errReasonNodeLabelNotMatch);
        const self = c.selector !== undefined && selectorMatches(c.selector, state.pod.metadata.labels) ? 1 : 0;
        const matchNum = (s.counts[i] as Map<string, number>).get(value) ?? 0;
        if (matchNum + self - (s.minMatch[i] as number) > c.maxSkew) {
          return status("Unschedulable", podTopologySpreadName, errReasonConstraintsNotMatch);
        }
      }
      return SUCCESS;
    },
    preScore(state: CycleState, nodes: readonly NodeInfo[]): Status {
      const s = scoreState(state, nodes);
      if (s.constraints.length === 0) return skip(podTopologySpreadName);
      state.write(scoreKey, s);
      return SUCCESS;
    },
    score(state: CycleState, node: NodeInfo): number {
      const s = state.read<ScoreState>(scoreKey);
      if (s === undefined || s.ignored.has(node.name)) return 0;
      let score = 0;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i] as Constraint;
        const value = node.node.metadata.labels[c.topologyKey];
        if (value === undefined) continue;
        const count = (s.counts[i] as Map<string, number>).get(value) ?? 0;
        score += count * (s.weights[i] as number) + (c.maxSkew - 1);
      }
      return goRound(score);
    },
    normalizeScore(state: CycleState, nodes: readonly NodeInfo[], scores: number[]): void {
      const s = state.read<ScoreState>(scoreKey);
      if (s === undefined) return;
      let min = Number.MAX_SAFE_INTEGER;
      let max = 0;
      nodes.forEach((n, i) => {
        if (s.ignored.has(n.name)) return;
        const v = scores[i] as number;
        if (v < min) min = v;
        if (v > max) max = v;
      });
      nodes.forEach((n, i) => {
        if (s.ignored.has(n.name)) scores[i] = 0;
        else if (max === 0) scores[i] = maxNodeScore;
        else scores[i] = Math.trunc((maxNodeScore * (max + min - (scores[i] as number))) / max);
      });
    },
  };
}
