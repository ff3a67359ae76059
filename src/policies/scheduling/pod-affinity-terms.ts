/**
 * Pod (anti-)affinity terms in the form the InterPodAffinity plugin evaluates (upstream
 * framework.AffinityTerm): namespaces resolved, matchLabelKeys/mismatchLabelKeys folded into the
 * selector. Parsed once per pod spec and cached.
 */
import type { LabelSelector, LabelSelectorRequirement, Labels, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from "../../model/objects.ts";
import { selectorMatches } from "../../model/labels.ts";

export interface AffinityTerm {
  readonly topologyKey: string;
  readonly selector: LabelSelector | undefined;
  readonly namespaces: ReadonlySet<string>;
  readonly namespaceSelector: LabelSelector | undefined;
  readonly weight: number;
}

export interface PodAffinityTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly AffinityTerm[];
  readonly preferredAntiAffinity: readonly AffinityTerm[];
}

const none: PodAffinityTerms = { requiredAffinity: [], requiredAntiAffinity: [], preferredAffinity: [], preferredAntiAffinity: [] };
const cache = new WeakMap<Pod, PodAffinityTerms>();

export function affinityTermsOf(pod: Pod): PodAffinityTerms {
  const a = pod.spec.affinity;
  if (a === undefined || (a.podAffinity === undefined && a.podAntiAffinity === undefined)) return none;
  let terms = cache.get(pod);
  if (terms === undefined) {
    terms = {
      requiredAffinity: (a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => newTerm(pod, t, 1)),
      requiredAntiAffinity: (a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => newTerm(pod, t, 1)),
      preferredAffinity: weighted(pod, a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
      preferredAntiAffinity: weighted(pod, a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    };
    cache.set(pod, terms);
  }
  return terms;
}

function weighted(pod: Pod, terms: readonly WeightedPodAffinityTerm[] | undefined): AffinityTerm[] {
  return (terms ?? []).map((t) => newTerm(pod, t.podAffinityTerm, t.weight));
}

function newTerm(pod: Pod, term: PodAffinityTerm, weight: number): AffinityTerm {
  const explicit = (term.namespaces ?? []).length > 0 || term.namespaceSelector !== undefined;
  return {
    topologyKey: term.topologyKey,
    selector: withLabelKeys(term, pod.metadata.labels),
    namespaces: new Set(explicit ? (term.namespaces ?? []) : [pod.metadata.namespace]),
    namespaceSelector: term.namespaceSelector,
    weight,
  };
}

function withLabelKeys(term: PodAffinityTerm, labels: Labels): LabelSelector | undefined {
  const match = term.matchLabelKeys ?? [];
  const mismatch = term.mismatchLabelKeys ?? [];
  if (term.labelSelector === undefined || (match.length === 0 && mismatch.length === 0)) return term.labelSelector;
  const extra: LabelSelectorRequirement[] = [];
  for (const key of match) if (labels[key] !== undefined) extra.push({ key, operator: "In", values: [labels[key] as string] });
  for (const key of mismatch) if (labels[key] !== undefined) extra.push({ key, operator: "NotIn", values: [labels[key] as string] });
  return { matchLabels: term.labelSelector.matchLabels, matchExpressions: [...(term.labelSelector.matchExpressions ?? []), ...extra] };
}

/** upstream AffinityTerm.Matches: namespace (listed or selected), then the label selector. */
export function termMatchesPod(term: AffinityTerm, pod: Pod, namespaceLabels: Labels | undefined): boolean {
  const inNamespace =
    term.namespaces.has(pod.metadata.namespace) ||
    (term.namespaceSelector !== undefined && selectorMatches(term.namespaceSelector, namespaceLabels ?? {}));
  return inNamespace && selectorMatches(term.selector, pod.metadata.labels);
}

export function matchesAllTerms(terms: readonly AffinityTerm[], pod: Pod, namespaceLabels: Labels | undefined): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatchesPod(t, pod, namespaceLabels)) return false;
  return true;
}
