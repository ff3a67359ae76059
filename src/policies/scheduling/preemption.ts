/**
 * Preemption (upstream DefaultPreemption's Evaluator): on nodes that failed only with resolvable
 * reasons, remove every lower-priority pod, check the pod fits, then reprieve victims most
 * important first (PDB-violating ones first) while it still fits; pick the candidate with the
 * fewest PDB violations, lowest top victim priority, lowest priority sum, fewest victims, latest
 * start of its top victims. Never evicts a pod of equal or higher priority.
 */
import { objectKey, type Node, type Pod } from "../../model/objects.ts";
import { selectorMatches } from "../../model/labels.ts";
import type { PodDisruptionBudget } from "../../model/scheduling-objects.ts";
import type { CycleState, FrameworkHandle, NodeDryRun, PostFilterResult } from "./framework.ts";
import type { NodeInfo } from "./node-info.ts";
import { NodeStatuses } from "./node-statuses.ts";
import { podPriority, type PodInfo } from "./pod-info.ts";
import { assert } from "../../model/assert.ts";
import { compareStrings } from "./snapshot.ts";
import { status, type Status } from "./status.ts";

export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage?: number;
  minCandidateNodesAbsolute?: number;
}

export const defaultPreemptionArgs: DefaultPreemptionArgs = { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 };

export const reasonNotHelpful = "Preemption is not helpful for scheduling";
export const reasonNoVictims = "No preemption victims found for incoming pod";

export interface Candidate {
  readonly nodeName: string;
  /** Most important first. */
  readonly victims: readonly Pod[];
  readonly pdbViolations: number;
}

function startMs(pod: Pod): number {
  return pod.status.startedMs ?? pod.status.scheduledMs ?? pod.metadata.creationMs;
}

/** upstream MoreImportantPod: higher priority, then earlier start; key as the last tie-breaker. */
export function moreImportantFirst(a: Pod, b: Pod): number {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pb - pa;
  const sa = startMs(a);
  const sb = startMs(b);
  if (sa !== sb) return sa - sb;
  return compareKeys(a.metadata, b.metadata);
}

/**
 * compareStrings(objectKey(a), objectKey(b)) without building the keys: with one namespace the
 * keys share the prefix "<namespace>/", so the names decide.
 */
function compareKeys(a: Pod["metadata"], b: Pod["metadata"]): number {
  if (a.namespace === b.namespace) return compareStrings(a.name, b.name);
  return compareStrings(objectKey(a), objectKey(b));
}

/**
 * pods.sort(moreImportantFirst), skipped when they already are in that order (a node's pods come
 * in key order, so equal priorities and starts need no sort): a stable sort of a sorted list is
 * the list itself.
 */
function sortMoreImportantFirst(pods: Pod[]): void {
  for (let i = 1; i < pods.length; i++) {
    if (moreImportantFirst(pods[i - 1] as Pod, pods[i] as Pod) > 0) {
      pods.sort(moreImportantFirst);
      return;
    }
  }
}

function pdbSelects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  const sel = pdb.spec.selector;
  if (pdb.metadata.namespace !== pod.metadata.namespace || sel === undefined) return false;
  const empty = Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
  return !empty && selectorMatches(sel, pod.metadata.labels);
}

/** Splits pods (importance order kept) by whether evicting them would exceed a PDB's budget. */
export function splitByPdbViolation(pods: readonly Pod[], pdbs: readonly PodDisruptionBudget[]): { violating: Pod[]; nonViolating: Pod[] } {
  if (pdbs.length === 0) return { violating: [], nonViolating: [...pods] };
  const allowed = pdbs.map((p) => p.status.disruptionsAllowed);
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of pods) {
    let violated = false;
    if (Object.keys(pod.metadata.labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (!pdbSelects(pdb, pod)) return;
        if (pdb.status.disruptedPods?.[pod.metadata.name] !== undefined) return;
        allowed[i] = (allowed[i] as number) - 1;
        if ((allowed[i] as number) < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

function sortedPdbs(state: CycleState): PodDisruptionBudget[] {
  const map = state.snapshot.view.podDisruptionBudgets;
  if (map === undefined) return [];
  return [...map.values()].sort((a, b) => compareStrings(objectKey(a.metadata), objectKey(b.metadata)));
}

/**
 * Upstream SelectVictimsOnNode: remove every lower-priority pod, check the pod fits, then reprieve
 * them most important first (PDB-violating ones first) while it still fits. `dry` (the handle's
 * dryRun, once per cycle) answers the "what if"s on a scratch NodeInfo; without it each one is a
 * `without` snapshot through podFitsOn. Both answer alike (see FrameworkHandle.dryRun). A node's
 * pods have distinct keys (the overlay holds no pod the view shows bound), so a pod is named by
 * its place in node.pods.
 */
export function selectVictimsOnNode(
  state: CycleState,
  handle: FrameworkHandle,
  node: NodeInfo,
  pdbs: readonly PodDisruptionBudget[],
  dry: NodeDryRun | undefined = handle.dryRun(state),
): Candidate | undefined {
  const priority = podPriority(state.pod);
  const pods = node.pods;
  const priorities = node.podPriorities();
  const removed = new Uint8Array(pods.length);
  const potential: Pod[] = [];
  for (let i = 0; i < pods.length; i++) {
    if ((priorities[i] as number) >= priority) continue;
    removed[i] = 1;
    potential.push(pods[i] as Pod);
  }
  if (state.snapshot.recount) assert(pods.every((p, i) => podPriority(p) === priorities[i]), `NodeInfo ${node.name}: kept pod priorities differ from the pods'`);
  if (potential.length === 0) return undefined;
  sortMoreImportantFirst(potential);
  const fits = (): boolean => {
    if (dry === undefined) {
      const gone = new Set<string>();
      for (let i = 0; i < pods.length; i++) if (removed[i] === 1) gone.add(objectKey((pods[i] as Pod).metadata));
      return handle.podFitsOn(state, state.snapshot.without(gone), node.name);
    }
    const infos = node.podInfos();
    const left: Pod[] = [];
    const leftInfos: PodInfo[] = [];
    for (let i = 0; i < pods.length; i++) {
      if (removed[i] === 1) continue;
      left.push(pods[i] as Pod);
      leftInfos.push(infos[i] as PodInfo);
    }
    return dry.fits(node, left, leftInfos);
  };
  if (!fits()) return undefined;
  const victims: Pod[] = [];
  let pdbViolations = 0;
  const reprieve = (pod: Pod): boolean => {
    const at = pods.indexOf(pod);
    removed[at] = 0;
    if (fits()) return false;
    removed[at] = 1;
    victims.push(pod);
    return true;
  };
  const { violating, nonViolating } = splitByPdbViolation(potential, pdbs);
  for (const pod of violating) if (reprieve(pod)) pdbViolations++;
  for (const pod of nonViolating) reprieve(pod);
  // Each group's victims come in importance order: only a mix of both needs sorting.
  if (pdbViolations > 0 && pdbViolations < victims.length) victims.sort(moreImportantFirst);
  return { nodeName: node.name, victims, pdbViolations };
}

function earliestTopVictimStartMs(c: Candidate): number {
  const top = podPriority(c.victims[0] as Pod);
  let earliest = Infinity;
  for (const v of c.victims) if (podPriority(v) === top) earliest = Math.min(earliest, startMs(v));
  return earliest;
}

function keepBest(candidates: Candidate[], measure: (c: Candidate) => number, prefer: "min" | "max"): Candidate[] {
  let best = prefer === "min" ? Infinity : -Infinity;
  for (const c of candidates) {
    const m = measure(c);
    if (prefer === "min" ? m < best : m > best) best = m;
  }
  return candidates.filter((c) => measure(c) === best);
}

/** upstream pickOneNodeForPreemption, criteria in order; the first remaining candidate wins. */
export function pickCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  let rest = candidates.filter((c) => c.victims.length > 0);
  const empty = candidates.find((c) => c.victims.length === 0);
  if (empty !== undefined) return empty;
  if (rest.length === 0) return undefined;
  rest = keepBest(rest, (c) => c.pdbViolations, "min");
  rest = keepBest(rest, (c) => podPriority(c.victims[0] as Pod), "min");
  rest = keepBest(rest, (c) => c.victims.reduce((sum, v) => sum + podPriority(v) + 2147483648, 0), "min");
  rest = keepBest(rest, (c) => c.victims.length, "min");
  rest = keepBest(rest, earliestTopVictimStartMs, "max");
  return rest[0];
}

function failed(message: string): PostFilterResult {
  return { status: status("Unschedulable", "DefaultPreemption", message), victims: [] };
}

export function preempt(
  state: CycleState,
  filtered: ReadonlyMap<string, Status>,
  handle: FrameworkHandle,
  args: DefaultPreemptionArgs,
): PostFilterResult {
  const pod = state.pod;
  if (pod.spec.preemptionPolicy === "Never") return failed("not eligible due to preemptionPolicy=Never.");
  const snapshot = state.snapshot;
  const nominated = pod.status.nominatedNodeName;
  if (nominated !== undefined && filtered.get(nominated)?.code !== "UnschedulableAndUnresolvable") {
    const info = snapshot.nodeInfoByName(nominated);
    const waiting = info?.pods.some((p) => p.metadata.deletionMs !== undefined && podPriority(p) < podPriority(pod));
    if (waiting === true) return failed("not eligible due to terminating pod on the nominated node.");
  }
  /** Rows of the nodes removing pods may help (their NodeInfos are read only when visited). */
  const potential: number[] = [];
  const nodes = snapshot.nodes;
  const byRow = filtered instanceof NodeStatuses && filtered.names === snapshot.nodeNames() ? filtered : undefined;
  for (let i = 0; i < nodes.length; i++) {
    const s = byRow !== undefined ? byRow.atRow(i) : filtered.get((nodes[i] as Node).metadata.name);
    if (s?.code === "Unschedulable") potential.push(i);
  }
  const total = snapshot.nodes.length;
  if (potential.length === 0) return failed(`0/${total} nodes are available: ${total} ${reasonNotHelpful}.`);
  const pct = args.minCandidateNodesPercentage ?? 10;
  const abs = args.minCandidateNodesAbsolute ?? 100;
  const wanted = Math.min(potential.length, Math.max(Math.trunc((potential.length * pct) / 100), abs));
  const offset = handle.prng.int(0, potential.length);
  const pdbs = sortedPdbs(state);
  const dry = handle.dryRun(state);
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  for (let i = 0; i < potential.length; i++) {
    const c = selectVictimsOnNode(state, handle, snapshot.nodeInfoAt(potential[(offset + i) % potential.length] as number), pdbs, dry);
    if (c !== undefined) (c.pdbViolations === 0 ? nonViolating : violating).push(c);
    if (nonViolating.length > 0 && nonViolating.length + violating.length >= wanted) break;
  }
  const best = pickCandidate([...nonViolating, ...violating]);
  if (best === undefined) {
    const notHelpful = total - potential.length;
    const parts = [`${potential.length} ${reasonNoVictims}`];
    if (notHelpful > 0) parts.push(`${notHelpful} ${reasonNotHelpful}`);
    parts.sort();
    return failed(`0/${total} nodes are available: ${parts.join(", ")}.`);
  }
  return {
    status: status("Success", "DefaultPreemption"),
    nominatedNodeName: best.nodeName,
    victims: best.victims.map((v) => objectKey(v.metadata)),
  };
}
