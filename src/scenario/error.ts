/**
 * What a user sees when a scenario cannot be loaded: the file, where in it (line and column when
 * YAML knows them), the path inside the document, and what was expected versus what was found.
 */
import { terminalSafe } from "./terminal-text.ts";

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

/**
 * One line: `file:line:column: path: message` (parts that are unknown are left out), safe for a
 * terminal: whatever the scenario's text holds, no control character gets through (terminal-text.ts).
 */
export function formatScenarioError(e: ScenarioError): string {
  const where = [e.file, e.line, e.line !== undefined ? e.column : undefined].filter((x) => x !== undefined).join(":");
  return terminalSafe(e.path === "" ? `${where}: ${e.message}` : `${where}: ${e.path}: ${e.message}`);
}
