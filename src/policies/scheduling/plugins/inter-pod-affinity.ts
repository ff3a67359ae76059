/**
 * InterPodAffinity: required pod affinity / anti-affinity (the incoming pod's and the existing
 * pods' anti-affinity, symmetrically) filter per topology domain; preferred terms (both sides,
 * plus existing pods' required affinity at hardPodAffinityWeight) score per domain, min-max
 * normalized to 0..100.
 */
import type { Labels, Node, Pod } from "../../../model/objects.ts";
import { perCycle, type CycleState, type FilterPlugin, type PreFilterPlugin, type PreFilterResult, type PreScorePlugin, type ScorePlugin } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { maxNodeScore } from "../normalize.ts";
import { affinityTermsOf, matchesAllTerms, termMatchesPod, type AffinityTerm, type PodAffinityTerms } from "../pod-affinity-terms.ts";
import { RowCounts, type Bump, type TopologyCounts } from "../row-counts.ts";
import type { PlacedPod, SchedulingView } from "../snapshot.ts";
import { skip, status, SUCCESS, type Status } from "../status.ts";
import { podPlacementEvents } from "../queueing-hints.ts";

export const interPodAffinityName = "InterPodAffinity";
export const errReasonExistingAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules";
export const errReasonAffinity = "node(s) didn't match pod affinity rules";
export const errReasonAntiAffinity = "node(s) didn't match pod anti-affinity rules";

export interface InterPodAffinityArgs {
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
}

export const defaultInterPodAffinityArgs: InterPodAffinityArgs = { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false };


function bump(m: TopologyCounts, key: string, value: string, by: number): void {
  let inner = m.get(key);
  if (inner === undefined) m.set(key, (inner = new Map()));
  inner.set(value, (inner.get(value) ?? 0) + by);
}

/** The entries of a TopologyCounts as an array (the per-node filter loops over it). */
function entriesOf(m: TopologyCounts): { key: string; values: Map<string, number> }[] {
  return [...m].map(([key, values]) => ({ key, values }));
}

/** True when matching any of the terms needs the target pod's namespace labels. */
function needsNamespaceLabels(terms: readonly AffinityTerm[]): boolean {
  return terms.some((t) => t.namespaceSelector !== undefined);
}

function hasAnyLabel(labels: Labels): boolean {
  for (const _ in labels) return true;
  return false;
}

function countAt(m: TopologyCounts, key: string, labels: Labels): number {
  const value = labels[key];
  return value === undefined ? 0 : (m.get(key)?.get(value) ?? 0);
}

interface FilterState {
  readonly existingAnti: TopologyCounts;
  readonly existingAntiEntries: readonly { key: string; values: Map<string, number> }[];
  readonly affinity: TopologyCounts;
  readonly anti: TopologyCounts;
  readonly affinityEmpty: boolean;
  readonly required: readonly AffinityTerm[];
  readonly requiredAnti: readonly AffinityTerm[];
}

function nsLabels(view: SchedulingView, pod: Pod): Labels | undefined {
  return view.namespaces.get(pod.metadata.namespace)?.metadata.labels;
}

/** The bumps one placed pod (on a node with `labels`) adds to the filter counts of `pod`. */
function filterBumps(view: SchedulingView, pod: Pod, incomingNs: Labels | undefined, existing: Pod, labels: Labels, out: Bump[]): void {
  for (const t of affinityTermsOf(existing).requiredAntiAffinity) {
    const value = labels[t.topologyKey];
    if (value !== undefined && termMatchesPod(t, pod, incomingNs)) out.push({ map: existingAntiMap, key: t.topologyKey, value, by: 1 });
  }
  const terms = affinityTermsOf(pod);
  if (terms.requiredAffinity.length === 0 && terms.requiredAntiAffinity.length === 0) return;
  const withNs = needsNamespaceLabels(terms.requiredAffinity) || needsNamespaceLabels(terms.requiredAntiAffinity);
  const ns = withNs ? nsLabels(view, existing) : undefined;
  if (matchesAllTerms(terms.requiredAffinity, existing, ns)) {
    for (const t of terms.requiredAffinity) {
      const value = labels[t.topologyKey];
      if (value !== undefined) out.push({ map: affinityMap, key: t.topologyKey, value, by: 1 });
    }
  }
  for (const t of terms.requiredAntiAffinity) {
    const value = labels[t.topologyKey];
    if (value !== undefined && termMatchesPod(t, existing, ns)) out.push({ map: antiMap, key: t.topologyKey, value, by: 1 });
  }
}

const existingAntiMap = 0;
const affinityMap = 1;
const antiMap = 2;

function filterStateOf(maps: readonly TopologyCounts[], terms: PodAffinityTerms): FilterState {
  const existingAnti = maps[existingAntiMap] as TopologyCounts;
  const affinity = maps[affinityMap] as TopologyCounts;
  return {
    existingAnti, existingAntiEntries: entriesOf(existingAnti), affinity, anti: maps[antiMap] as TopologyCounts, affinityEmpty: affinity.size === 0,
    required: terms.requiredAffinity, requiredAnti: terms.requiredAntiAffinity,
  };
}

/**
 * The counts from the view's pods kept across cycles (RowCounts) for pods with the same namespace,
 * labels and required terms; undefined when they cannot be kept (no journal in the view, pods
 * excluded, or terms selecting namespaces by label, whose labels the journal does not track).
 */
function cachedFilterState(state: CycleState): FilterState | undefined {
  const snapshot = state.snapshot;
  const view = snapshot.view;
  const pod = state.pod;
  const terms = affinityTermsOf(pod);
  if (view.nodeChanges === undefined || snapshot.hasExclusions()) return undefined;
  if (needsNamespaceLabels(terms.requiredAffinity) || needsNamespaceLabels(terms.requiredAntiAffinity)) return undefined;
  const scansAllPods = terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0;
  if (!scansAllPods && fewPodsWithAffinity(view)) return undefined;
  const incomingNs = nsLabels(view, pod);
  const a = pod.spec.affinity;
  const signature = JSON.stringify([
    pod.metadata.namespace, pod.metadata.labels, incomingNs ?? null,
    a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null, a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null,
  ]);
  const counts = snapshot.perView(`${interPodAffinityName}/filter ${signature}`, () => new RowCounts(3, snapshot.nodes.length));
  counts.sync(snapshot, (row) => {
    const out: Bump[] = [];
    const labels = (snapshot.nodes[row] as Node).metadata.labels;
    for (const existing of snapshot.viewNodeInfoAt(row).pods) filterBumps(view, pod, incomingNs, existing, labels, out);
    return out;
  });
  const overlay = snapshot.overlayPods();
  if (overlay.length === 0) return filterStateOf(counts.maps, terms);
  const maps = counts.maps.map(copyCounts);
  const out: Bump[] = [];
  for (const placed of overlay) {
    const labels = view.nodes.get(placed.nodeName)?.metadata.labels;
    if (labels !== undefined) filterBumps(view, pod, incomingNs, placed.pod, labels, out);
  }
  for (const b of out) bump(maps[b.map] as TopologyCounts, b.key, b.value, b.by);
  return filterStateOf(maps, terms);
}

function buildFilterState(state: CycleState): FilterState {
  const cached = cachedFilterState(state);
  if (cached !== undefined) return cached;
  const view = state.snapshot.view;
  const pod = state.pod;
  const incomingNs = nsLabels(view, pod);
  const terms = affinityTermsOf(pod);
  const existingAnti: TopologyCounts = new Map();
  for (const placed of state.snapshot.placedPodsWithPodAffinity()) {
    const labels = view.nodes.get(placed.nodeName)?.metadata.labels;
    if (labels === undefined) continue;
    for (const t of affinityTermsOf(placed.pod).requiredAntiAffinity) {
      const value = labels[t.topologyKey];
      if (value !== undefined && termMatchesPod(t, pod, incomingNs)) bump(existingAnti, t.topologyKey, value, 1);
    }
  }
  const affinity: TopologyCounts = new Map();
  const anti: TopologyCounts = new Map();
  if (terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0) {
    const withNs = needsNamespaceLabels(terms.requiredAffinity) || needsNamespaceLabels(terms.requiredAntiAffinity);
    state.snapshot.forEachPlacedPod((existing, nodeName) => {
      const labels = view.nodes.get(nodeName)?.metadata.labels;
      if (labels === undefined) return;
      const ns = withNs ? nsLabels(view, existing) : undefined;
      if (matchesAllTerms(terms.requiredAffinity, existing, ns)) {
        for (const t of terms.requiredAffinity) {
          const value = labels[t.topologyKey];
          if (value !== undefined) bump(affinity, t.topologyKey, value, 1);
        }
      }
      for (const t of terms.requiredAntiAffinity) {
        const value = labels[t.topologyKey];
        if (value !== undefined && termMatchesPod(t, existing, ns)) bump(anti, t.topologyKey, value, 1);
      }
    });
  }
  return filterStateOf([existingAnti, affinity, anti], terms);
}

/**
 * Few pods carry (anti-)affinity terms: recounting them (through the view's index) is cheaper than
 * keeping sums. Which path runs never changes a result, only its cost.
 */
function fewPodsWithAffinity(view: SchedulingView): boolean {
  const index = view.podKeysWithPodAffinity;
  return index !== undefined && index.size < 64;
}

interface ScoreContext {
  readonly view: SchedulingView;
  readonly pod: Pod;
  readonly incomingNs: Labels | undefined;
  readonly terms: PodAffinityTerms;
  /** The incoming pod has preferred terms (then every placed pod may count). */
  readonly hasConstraints: boolean;
  readonly withNs: boolean;
  readonly hardWeight: number;
  readonly ignoreExisting: boolean;
}

/** The score bumps of one placed pod (on a node with `labels`) for the incoming pod. */
function scoreBumps(ctx: ScoreContext, existing: Pod, labels: Labels, out: Bump[]): void {
  if (existing === ctx.pod) return;
  const existingTerms = affinityTermsOf(existing);
  // A pod without terms that count here adds nothing: skip its lookups.
  const counts =
    ctx.hasConstraints ||
    (ctx.hardWeight > 0 && existingTerms.requiredAffinity.length > 0) ||
    (!ctx.ignoreExisting && (existingTerms.preferredAffinity.length > 0 || existingTerms.preferredAntiAffinity.length > 0));
  if (!counts) return;
  const add = (ts: readonly AffinityTerm[], target: Pod, ns: Labels | undefined, sign: number, weight?: number): void => {
    for (const t of ts) {
      const value = labels[t.topologyKey];
      if (value !== undefined && termMatchesPod(t, target, ns)) out.push({ map: 0, key: t.topologyKey, value, by: (weight ?? t.weight) * sign });
    }
  };
  const ns = ctx.withNs ? nsLabels(ctx.view, existing) : undefined;
  add(ctx.terms.preferredAffinity, existing, ns, 1);
  add(ctx.terms.preferredAntiAffinity, existing, ns, -1);
  if (ctx.hardWeight > 0 && existingTerms.requiredAffinity.length > 0 && hasAnyLabel(labels)) {
    add(existingTerms.requiredAffinity, ctx.pod, ctx.incomingNs, 1, ctx.hardWeight);
  }
  if (!ctx.ignoreExisting) {
    add(existingTerms.preferredAffinity, ctx.pod, ctx.incomingNs, 1);
    add(existingTerms.preferredAntiAffinity, ctx.pod, ctx.incomingNs, -1);
  }
}

function recountScores(state: CycleState, ctx: ScoreContext): TopologyCounts {
  const scores: TopologyCounts = new Map();
  const out: Bump[] = [];
  const visit = (existing: Pod, nodeName: string, key: string | undefined): void => {
    if (key === state.podKey) return;
    const labels = ctx.view.nodes.get(nodeName)?.metadata.labels;
    if (labels !== undefined) scoreBumps(ctx, existing, labels, out);
  };
  if (ctx.hasConstraints) state.snapshot.forEachPlacedPod((p, nodeName) => visit(p, nodeName, undefined));
  else for (const placed of state.snapshot.placedPodsWithPodAffinity()) visit(placed.pod, placed.nodeName, placed.key);
  for (const b of out) bump(scores, b.key, b.value, b.by);
  return scores;
}

/**
 * Score sums from the view's pods kept across cycles (RowCounts) for incoming pods with the same
 * namespace, labels and preferred terms, assumed pods added on a copy; undefined when they
 * cannot be kept (no journal, exclusions, preferred terms selecting namespaces by label, a placed
 * incoming pod).
 */
function keptScores(state: CycleState, ctx: ScoreContext): TopologyCounts | undefined {
  const snapshot = state.snapshot;
  const pod = ctx.pod;
  // A placed incoming pod (explain) skips itself, which per-node sums shared by pods cannot do.
  if (ctx.view.nodeChanges === undefined || snapshot.hasExclusions() || ctx.withNs || pod.spec.nodeName !== undefined) return undefined;
  if (!ctx.hasConstraints && fewPodsWithAffinity(ctx.view)) return undefined;
  const a = pod.spec.affinity;
  const signature = JSON.stringify([
    ctx.hardWeight, ctx.ignoreExisting, pod.metadata.namespace, pod.metadata.labels, ctx.incomingNs ?? null,
    a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? null, a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? null,
  ]);
  const kept = snapshot.perView(`${interPodAffinityName}/score ${signature}`, () => new RowCounts(1, snapshot.nodes.length));
  kept.sync(snapshot, (row) => {
    const out: Bump[] = [];
    const labels = (snapshot.nodes[row] as Node).metadata.labels;
    for (const existing of snapshot.viewNodeInfoAt(row).pods) scoreBumps(ctx, existing, labels, out);
    return out;
  });
  const sums = kept.maps[0] as TopologyCounts;
  const overlay = snapshot.overlayPods();
  if (overlay.length === 0) return sums;
  const scores = copyCounts(sums);
  const out: Bump[] = [];
  for (const placed of overlay) {
    if (placed.key === state.podKey) continue;
    const labels = ctx.view.nodes.get(placed.nodeName)?.metadata.labels;
    if (labels !== undefined) scoreBumps(ctx, placed.pod, labels, out);
  }
  for (const b of out) bump(scores, b.key, b.value, b.by);
  return scores;
}

/** Takes `by` off an entry, dropping it at zero (a recount creates entries only for pods found). */
function unbump(m: TopologyCounts, key: string, value: string, by: number): void {
  const inner = m.get(key);
  const count = inner?.get(value);
  if (inner === undefined || count === undefined) return;
  if (count - by === 0) {
    inner.delete(value);
    if (inner.size === 0) m.delete(key);
  } else inner.set(value, count - by);
}

function copyCounts(m: TopologyCounts): TopologyCounts {
  return new Map([...m].map(([key, values]) => [key, new Map(values)]));
}

/**
 * The filter state without the `removed` pods, from the state with them: each removed pod's
 * contributions (as buildFilterState counts them) are taken off again.
 */
function withoutPods(view: SchedulingView, s: FilterState, pod: Pod, removed: readonly PlacedPod[]): FilterState {
  const incomingNs = nsLabels(view, pod);
  const existingAnti = copyCounts(s.existingAnti);
  const affinity = copyCounts(s.affinity);
  const anti = copyCounts(s.anti);
  const counted = s.required.length > 0 || s.requiredAnti.length > 0;
  for (const placed of removed) {
    const labels = view.nodes.get(placed.nodeName)?.metadata.labels;
    if (labels === undefined) continue;
    const existing = placed.pod;
    for (const t of affinityTermsOf(existing).requiredAntiAffinity) {
      const value = labels[t.topologyKey];
      if (value !== undefined && termMatchesPod(t, pod, incomingNs)) unbump(existingAnti, t.topologyKey, value, 1);
    }
    if (!counted) continue;
    const ns = nsLabels(view, existing);
    if (matchesAllTerms(s.required, existing, ns)) {
      for (const t of s.required) {
        const value = labels[t.topologyKey];
        if (value !== undefined) unbump(affinity, t.topologyKey, value, 1);
      }
    }
    for (const t of s.requiredAnti) {
      const value = labels[t.topologyKey];
      if (value !== undefined && termMatchesPod(t, existing, ns)) unbump(anti, t.topologyKey, value, 1);
    }
  }
  return {
    existingAnti, existingAntiEntries: entriesOf(existingAnti), affinity, anti, affinityEmpty: affinity.size === 0,
    required: s.required, requiredAnti: s.requiredAnti,
  };
}

function satisfiesAffinity(s: FilterState, pod: Pod, node: Node, incomingNs: Labels | undefined): boolean {
  let podsExist = true;
  for (const t of s.required) {
    if (!Object.hasOwn(node.metadata.labels, t.topologyKey)) return false;
    if (countAt(s.affinity, t.topologyKey, node.metadata.labels) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself may go anywhere the labels exist.
  return s.affinityEmpty && matchesAllTerms(s.required, pod, incomingNs);
}

export function newInterPodAffinity(args: InterPodAffinityArgs): (PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin) | string[] {
  const hardWeight = args.hardPodAffinityWeight ?? 1;
  if (!Number.isInteger(hardWeight) || hardWeight < 0 || hardWeight > 100) return ["hardPodAffinityWeight: Invalid value: not in valid range [0, 100]"];
  const ignoreExisting = args.ignorePreferredTermsOfExistingPods ?? false;
  const filterKey = `${interPodAffinityName}/filter`;
  const scoreKey = `${interPodAffinityName}/score`;

  const filterState = perCycle<FilterState>(filterKey, buildFilterState);

  return {
    name: interPodAffinityName,
    eventsToRegister: () => podPlacementEvents,
    removePods(parent: CycleState, child: CycleState, removed: readonly PlacedPod[]): void {
      const s = parent.read<FilterState>(filterKey);
      if (s !== undefined) child.write(filterKey, withoutPods(child.snapshot.view, s, child.pod, removed));
    },
    preFilter(state: CycleState): PreFilterResult {
      const s = filterState(state);
      const nothing = s.required.length === 0 && s.requiredAnti.length === 0 && s.existingAnti.size === 0;
      return { status: nothing ? skip(interPodAffinityName) : SUCCESS };
    },
    filter(state: CycleState, node: NodeInfo): Status {
      const s = filterState(state);
      const labels = node.node.metadata.labels;
      for (const { key, values } of s.existingAntiEntries) {
        const value = labels[key];
        if (value !== undefined && (values.get(value) ?? 0) > 0) {
          return status("Unschedulable", interPodAffinityName, errReasonExistingAntiAffinity);
        }
      }
      for (const t of s.requiredAnti) {
        if (countAt(s.anti, t.topologyKey, labels) > 0) return status("Unschedulable", interPodAffinityName, errReasonAntiAffinity);
      }
      if (s.required.length > 0 && !satisfiesAffinity(s, state.pod, node.node, nsLabels(state.snapshot.view, state.pod))) {
        return status("UnschedulableAndUnresolvable", interPodAffinityName, errReasonAffinity);
      }
      return SUCCESS;
    },
    preScore(state: CycleState): Status {
      const view = state.snapshot.view;
      const pod = state.pod;
      const terms = affinityTermsOf(pod);
      const hasConstraints = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0;
      if (ignoreExisting && !hasConstraints) return skip(interPodAffinityName);
      const ctx: ScoreContext = {
        view, pod, incomingNs: nsLabels(view, pod), terms, hasConstraints, hardWeight, ignoreExisting,
        withNs: needsNamespaceLabels(terms.preferredAffinity) || needsNamespaceLabels(terms.preferredAntiAffinity),
      };
      const scores = keptScores(state, ctx) ?? recountScores(state, ctx);
      if (scores.size === 0) return skip(interPodAffinityName);
      state.write(scoreKey, scores);
      return SUCCESS;
    },
    score(state: CycleState, node: NodeInfo): number {
      const scores = state.read<TopologyCounts>(scoreKey);
      if (scores === undefined) return 0;
      let sum = 0;
      for (const [key, values] of scores) {
        const value = node.node.metadata.labels[key];
        if (value !== undefined) sum += values.get(value) ?? 0;
      }
      return sum;
    },
    normalizeScore(_state: CycleState, _nodes: readonly NodeInfo[], scores: number[]): void {
      if (scores.length === 0) return;
      let min = Infinity;
      let max = -Infinity;
      for (const s of scores) {
        if (s < min) min = s;
        if (s > max) max = s;
      }
      const diff = max - min;
      for (let i = 0; i < scores.length; i++) {
        scores[i] = diff > 0 ? Math.trunc(maxNodeScore * (((scores[i] as number) - min) / diff)) : 0;
      }
    },
  };
}
