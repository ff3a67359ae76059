/**
 * Node selector matching as component-helpers' nodeaffinity: terms are ORed, requirements within a
 * term ANDed; an empty term or one with an invalid requirement matches nothing; Gt/Lt compare
 * integers; matchFields supports metadata.name.
 */
import type { Labels, Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from "../../model/objects.ts";

const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const integerPattern = /^[+-]?\d+$/;

function validLabelValue(value: string): boolean {
  return value.length <= 63 && labelValuePattern.test(value);
}

/** Go's strconv.ParseInt on a label value; undefined when it is not an integer. */
export function parseGoInt(text: string): number | undefined {
  if (!integerPattern.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** undefined when the requirement itself is invalid (then the whole term matches nothing). */
export function requirementMatches(req: NodeSelectorRequirement, value: string | undefined): boolean | undefined {
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
    case "NotIn": {
      if (values.length === 0 || !values.every(validLabelValue)) return undefined;
      const found = value !== undefined && values.includes(value);
      return req.operator === "In" ? found : !found;
    }
    case "Exists":
    case "DoesNotExist":
      if (values.length !== 0) return undefined;
      return req.operator === "Exists" ? value !== undefined : value === undefined;
    case "Gt":
    case "Lt": {
      if (values.length !== 1) return undefined;
      const bound = parseGoInt(values[0] as string);
      if (bound === undefined) return undefined;
      if (value === undefined) return false;
      const actual = parseGoInt(value);
      if (actual === undefined) return false;
      return req.operator === "Gt" ? actual > bound : actual < bound;
    }
    default:
      return undefined;
  }
}

function fieldValue(node: Node, key: string): string | undefined {
  return key === "metadata.name" ? node.metadata.name : undefined;
}

export function termMatches(term: NodeSelectorTerm, labels: Labels, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const req of exprs) {
    const value = Object.hasOwn(labels, req.key) ? labels[req.key] : undefined;
    if (requirementMatches(req, value) !== true) return false;
  }
  for (const req of fields) {
    if (req.key !== "metadata.name" || (req.operator !== "In" && req.operator !== "NotIn")) return false;
    if ((req.values ?? []).length !== 1) return false;
    if (requirementMatches(req, fieldValue(node, req.key)) !== true) return false;
  }
  return true;
}

export function anyTermMatches(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  for (const term of terms) if (termMatches(term, node.metadata.labels, node)) return true;
  return false;
}

/** The pod's nodeSelector AND its required node affinity (upstream GetRequiredNodeAffinity). */
export function podRequiredNodeAffinityMatches(pod: Pod, node: Node): boolean {
  const selector = pod.spec.nodeSelector;
  if (selector) {
    const labels = node.metadata.labels;
    for (const key in selector) if (labels[key] !== selector[key]) return false;
  }
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return anyTermMatches(required.nodeSelectorTerms, node);
  return true;
}

/**
 * Node names a required affinity pins the pod to through matchFields metadata.name In, or
 * undefined when any term may match other nodes (upstream getPreFilterNodeNames).
 */
export function preFilterNodeNames(terms: readonly NodeSelectorTerm[]): Set<string> | undefined {
  const union = new Set<string>();
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const req of term.matchFields ?? []) {
      if (req.key !== "metadata.name" || req.operator !== "In") continue;
      const these = new Set(req.values ?? []);
      names = names === undefined ? these : new Set([...names].filter((n) => these.has(n)));
    }
    if (names === undefined) return undefined;
    for (const n of names) union.add(n);
  }
  return union;
}
