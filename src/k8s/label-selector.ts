/**
 * Selectors as Kubernetes writes them and the model keeps them (metav1.LabelSelector,
 * core/v1 NodeSelectorTerm): no conversion, only the shape and the operators checked.
 */
import { Schema } from "effect";
import { opt, StringMap, Strings } from "./fields.ts";
import { Labels } from "./object-names.ts";

export const LabelSelector = Schema.Struct({
  matchLabels: opt(Labels),
  matchExpressions: opt(
    Schema.Array(
      Schema.Struct({
        key: Schema.NonEmptyString,
        operator: Schema.Literals(["In", "NotIn", "Exists", "DoesNotExist"]),
        values: opt(Strings),
      }),
    ),
  ),
});

const NodeSelectorRequirement = Schema.Struct({
  key: Schema.NonEmptyString,
  operator: Schema.Literals(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]),
  values: opt(Strings),
});

export const NodeSelectorTerm = Schema.Struct({
  matchExpressions: opt(Schema.Array(NodeSelectorRequirement)),
  matchFields: opt(Schema.Array(NodeSelectorRequirement)),
});

/** True when the selector states nothing (the API server rejects one on a workload). */
export function isEmptySelector(selector: typeof LabelSelector.Type): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}
