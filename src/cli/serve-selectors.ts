/**
 * The query string's selectors, as the API server reads them: `labelSelector` in the syntax of
 * apimachinery pkg/labels/selector.go (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * comma-separated, all must hold) and `fieldSelector` in pkg/fields/selector.go's (`f=v`, `f==v`,
 * `f!=v`), limited to the fields each resource supports (pkg/registry/core/pod/strategy.go
 * PodToSelectableFields, node NodeToSelectableFields, and metadata.name/namespace everywhere).
 */
import { selectorMatches } from "../model/labels.ts";
import type { LabelSelectorRequirement } from "../model/objects.ts";
import type { KubeJson } from "./serve-resources.ts";

export type Selected = { ok: true; matches: (object: KubeJson) => boolean } | { ok: false; message: string };

const everything: Selected = { ok: true, matches: () => true };

/** Splits at commas outside parentheses. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")") depth--;
    else if (text[i] === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((t) => t.trim()).filter((t) => t !== "");
}

const keyPattern = "[A-Za-z0-9][-A-Za-z0-9_./]*";
const setTerm = new RegExp(`^(${keyPattern})\\s+(in|notin)\\s*\\(([^)]*)\\)$`);
const equalityTerm = new RegExp(`^(${keyPattern})\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)$`);
const existsTerm = new RegExp(`^(!?)\\s*(${keyPattern})$`);

function requirementOf(term: string): LabelSelectorRequirement | undefined {
  const set = setTerm.exec(term);
  if (set) {
    const values = (set[3] as string).split(",").map((v) => v.trim()).filter((v) => v !== "");
    return { key: set[1] as string, operator: set[2] === "in" ? "In" : "NotIn", values };
  }
  const eq = equalityTerm.exec(term);
  if (eq) return { key: eq[1] as string, operator: eq[2] === "!=" ? "NotIn" : "In", values: [eq[3] as string] };
  const exists = existsTerm.exec(term);
  if (exists) return { key: exists[2] as string, operator: exists[1] === "!" ? "DoesNotExist" : "Exists" };
  return undefined;
}

export function labelSelectorOf(text: string | null): Selected {
  if (text === null || text.trim() === "") return everything;
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const term of terms(text)) {
    const requirement = requirementOf(term);
    if (requirement === undefined) return { ok: false, message: `unable to parse requirement: "${term}"` };
    matchExpressions.push(requirement);
  }
  const selector = { matchExpressions };
  return { ok: true, matches: (o) => selectorMatches(selector, o.metadata.labels ?? {}) };
}

const commonFields = ["metadata.name", "metadata.namespace"];
const fieldsByKind: Readonly<Record<string, readonly string[]>> = {
  Pod: [
    ...commonFields, "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
    "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName",
  ],
  Node: [...commonFields, "spec.unschedulable"],
  Event: [
    ...commonFields, "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
    "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
  ],
};

/** A field's value as the API server compares it: a string, "" when absent, booleans as "true"/"false". */
function fieldValue(object: KubeJson, path: string): string {
  let at: unknown = object;
  for (const part of path.split(".")) at = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[part] : undefined;
  if (at === undefined || at === null) return path === "spec.unschedulable" || path === "spec.hostNetwork" ? "false" : "";
  return String(at);
}

export function fieldSelectorOf(text: string | null, kind: string): Selected {
  if (text === null || text.trim() === "") return everything;
  const allowed = fieldsByKind[kind] ?? commonFields;
  const checks: { field: string; equal: boolean; value: string }[] = [];
  for (const term of terms(text)) {
    const m = /^([A-Za-z.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) return { ok: false, message: `invalid selector: '${text}'; can't understand '${term}'` };
    const field = m[1] as string;
    if (!allowed.includes(field)) return { ok: false, message: `field label not supported: ${field}` };
    checks.push({ field, equal: m[2] !== "!=", value: (m[3] as string).trim() });
  }
  return { ok: true, matches: (o) => checks.every((c) => (fieldValue(o, c.field) === c.value) === c.equal) };
}
