/**
 * What goes wrong when a value does not decode: the path inside it, one message saying what was
 * expected and what was found ("expected a quantity like "500m" …, got "lots""), and whether to
 * point at the key or at the value. Built from the first Effect Schema issue; the codec's own checks
 * and transformations fail through `issueAt`, which says how their message is shown.
 */
import { SchemaIssue } from "effect";

export type Segment = string | number;
/** Point at a mapping key (unknown or forbidden field) or at the value under it (everything else). */
export type PointAt = "key" | "value";

export interface CodecProblem {
  /** From the root of the decoded value, e.g. `["spec", "containers", 0, "resources"]`. */
  path: Segment[];
  message: string;
  pointAt: PointAt;
}

const noteKey = "kubetwin/issue";

interface IssueNote {
  pointAt: PointAt;
  /** Append ", got <the value found>" to the message. */
  showFound: boolean;
}

/**
 * An issue at `path` below the value being checked or transformed. By default `message` is the
 * whole sentence; `showFound` appends what was found there.
 */
export function issueAt(path: readonly Segment[], message: string, note: Partial<IssueNote> = {}): SchemaIssue.Issue {
  const full: IssueNote = { pointAt: note.pointAt ?? "value", showFound: note.showFound ?? false };
  const leaf = new SchemaIssue.InvalidValue({ message, [noteKey]: full });
  return path.length === 0 ? leaf : new SchemaIssue.Pointer(path, leaf);
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
    case "Filter":
      // A check on a whole object that names the field at fault.
      return issue.issue._tag === "Pointer" || noteOf(issue.issue) !== undefined ? firstFailure(issue.issue, path) : { path, issue };
    default:
      return { path, issue };
  }
}

function toSegment(key: PropertyKey): Segment {
  return typeof key === "number" ? key : String(key);
}

function noteOf(issue: SchemaIssue.Issue): IssueNote | undefined {
  return issue._tag === "InvalidValue" ? (issue.annotations?.[noteKey] as IssueNote | undefined) : undefined;
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1();

/** The first issue of a failed decode of `root`, as a problem at a path of `root`. */
export function problemOfIssue(issue: SchemaIssue.Issue, root: unknown): CodecProblem {
  const found = pointAtDiscriminator(firstFailure(issue, []), root);
  const { path } = found;
  const last = path[path.length - 1];
  const leaf = found.issue;
  if (leaf._tag === "MissingKey") return { path, message: `missing required field "${String(last)}"`, pointAt: "value" };
  if (leaf._tag === "UnexpectedKey") {
    const known = knownFields(leaf);
    const hint = known.length > 0 ? `; expected one of: ${known.join(", ")}` : "";
    return { path, message: `unknown field "${String(last)}"${hint}`, pointAt: "key" };
  }
  const note = noteOf(leaf);
  const raw = formatter(leaf).issues[0]?.message ?? "invalid value";
  const message = note === undefined ? reword(raw) : raw;
  const showFound = note === undefined || note.showFound;
  return { path, message: showFound ? `${message}, got ${describeValue(valueAt(root, path))}` : message, pointAt: note?.pointAt ?? "value" };
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

/** A short, quoted rendering of a found value for "…, got X" (never the whole of a big object). */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value (null)";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
  if (typeof value === "object") return "a mapping";
  return typeof value;
}
