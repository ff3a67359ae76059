/**
 * What a user sees when a scenario cannot be loaded: the file, where in it (line and column when
 * YAML knows them), the path inside the document, and what was expected versus what was found.
 */
export interface ScenarioError {
  file: string;
  line?: number;
  column?: number;
  /** e.g. `spec.cluster.nodePools[1].count`; "" for the document itself. */
  path: string;
  message: string;
}

export type Segment = string | number;

/** `["spec", "faults", 2, "at"]` → `spec.faults[2].at`; keys that are not identifiers are quoted. */
export function formatPath(path: readonly Segment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** One line: `file:line:column: path: message` (parts that are unknown are left out). */
export function formatScenarioError(e: ScenarioError): string {
  const where = [e.file, e.line, e.line !== undefined ? e.column : undefined].filter((x) => x !== undefined).join(":");
  return e.path === "" ? `${where}: ${e.message}` : `${where}: ${e.path}: ${e.message}`;
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
