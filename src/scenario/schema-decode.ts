/**
 * Runs an Effect Schema decode at a place in a document and turns the first issue into a Problem
 * that says what was expected and what was found ("expected a duration like "30s", got "soon"").
 */
import { Result, Schema, SchemaIssue } from "effect";
import { describeValue } from "./error.ts";
import type { Segment } from "./error.ts";
import type { Failure, Problem, SourceDoc } from "./yaml-source.ts";

/** A place in a document: the document and the path from its root. */
export interface Site {
  doc: SourceDoc;
  path: Segment[];
}

export function siteAt(site: Site, ...segments: Segment[]): Site {
  return { doc: site.doc, path: [...site.path, ...segments] };
}

export function problemAt(site: Site, message: string, pointAt: "key" | "value" = "value"): Problem {
  return { doc: site.doc, path: site.path, message, pointAt };
}

export type Checked<T> = Result.Result<T, Failure>;

/**
 * `exact` rejects fields the schema does not name (scenario documents); embedded Kubernetes
 * manifests are decoded leniently, because real manifests carry many fields the twin ignores.
 */
export function decodeAt<S extends Schema.Top & { readonly DecodingServices: never }>(
  schema: S,
  value: unknown,
  site: Site,
  exact: boolean,
): Checked<S["Type"]> {
  const decoded = Schema.decodeUnknownResult(schema, { onExcessProperty: exact ? "error" : "ignore", errors: "first" })(value);
  if (Result.isSuccess(decoded)) return Result.succeed(decoded.success);
  return Result.fail(issueToProblem(decoded.failure.issue, value, site));
}

interface Found {
  path: Segment[];
  issue: SchemaIssue.Issue;
}

/** Follows pointers down to the first failing leaf (or filter, whose message is the user's). */
function firstFailure(issue: SchemaIssue.Issue, path: Segment[]): Found {
  switch (issue._tag) {
    case "Pointer":
      return firstFailure(issue.issue, [...path, ...issue.path.map(toSegment)]);
    case "Encoding":
      return firstFailure(issue.issue, path);
    case "Composite":
      return firstFailure(issue.issues[0], path);
    case "AnyOf":
      return issue.issues.length > 0 ? firstFailure(issue.issues[0] as SchemaIssue.Issue, path) : { path, issue };
    default:
      return { path, issue };
  }
}

function toSegment(key: PropertyKey): Segment {
  return typeof key === "number" ? key : String(key);
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1();

function issueToProblem(issue: SchemaIssue.Issue, root: unknown, site: Site): Problem {
  const found = pointAtDiscriminator(firstFailure(issue, []), root);
  const path = [...site.path, ...found.path];
  const last = found.path[found.path.length - 1];
  const leaf = found.issue;
  if (leaf._tag === "MissingKey") {
    return { doc: site.doc, path, message: `missing required field "${String(last)}"`, pointAt: "value" };
  }
  if (leaf._tag === "UnexpectedKey") {
    const known = knownFields(leaf);
    const hint = known.length > 0 ? `; expected one of: ${known.join(", ")}` : "";
    return { doc: site.doc, path, message: `unknown field "${String(last)}"${hint}`, pointAt: "key" };
  }
  const raw = formatter(leaf).issues[0]?.message ?? "invalid value";
  return { doc: site.doc, path, message: `${reword(raw)}, got ${describeValue(valueAt(root, found.path))}` };
}

/** A union of `type`-tagged structs that matched no member: the culprit is the `type` field. */
function pointAtDiscriminator(found: Found, root: unknown): Found {
  const value = valueAt(root, found.path);
  const tagged = found.issue._tag === "AnyOf" && value !== null && typeof value === "object" && Object.hasOwn(value, "type");
  return tagged ? { path: [...found.path, "type"], issue: found.issue } : found;
}

function knownFields(leaf: SchemaIssue.UnexpectedKey): string[] {
  const ast = leaf.ast as { propertySignatures?: readonly { name: PropertyKey }[] };
  return (ast.propertySignatures ?? []).map((p) => String(p.name));
}

const plainWords: Record<string, string> = {
  "Expected string": "expected a string",
  "Expected number": "expected a number",
  "Expected boolean": "expected true or false",
  "Expected object": "expected a mapping (key: value)",
  "Expected array": "expected a list",
  "Expected a finite number": "expected a finite number",
};

function reword(message: string): string {
  const known = plainWords[message];
  if (known !== undefined) return known;
  return message.charAt(0).toLowerCase() + message.slice(1);
}

function valueAt(root: unknown, path: readonly Segment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}
