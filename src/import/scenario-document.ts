/**
 * The imported scenario as a file: a `kubetwin/v1` Scenario whose header comment says where it
 * came from and lists every warning (what the twin could not express), so that the file itself
 * tells what it leaves out. `kubetwin run` reads it like any scenario.
 */
import { stringify } from "yaml";
import { terminalSafe } from "../scenario/terminal-text.ts";
import { formatDurationMs, type Ms } from "../model/units.ts";
import type { JsonObject } from "./plain-json.ts";
import type { TimelineScenario } from "./timeline-scenario.ts";

export interface ScenarioParts {
  name: string;
  description: string;
  /** Lines for the header comment (origin, time zero, cluster). */
  header: string[];
  durationMs: Ms;
  cluster: JsonObject;
  built: TimelineScenario;
  containerBehavior: JsonObject[];
}

export function scenarioDocument(p: ScenarioParts): JsonObject {
  const spec: JsonObject = { duration: formatDurationMs(p.durationMs), cluster: p.cluster, workloads: p.built.workloads };
  if (p.built.faults.length > 0) spec.faults = p.built.faults as JsonObject[];
  if (p.containerBehavior.length > 0) spec.containerBehavior = p.containerBehavior;
  return { apiVersion: "kubetwin/v1", kind: "Scenario", metadata: { name: p.name, description: p.description }, spec };
}

export function scenarioText(p: ScenarioParts): string {
  const lines = [...p.header, ...p.built.notes];
  if (p.built.warnings.length > 0) lines.push(`${p.built.warnings.length} change${p.built.warnings.length === 1 ? "" : "s"} the twin cannot express (not replayed):`, ...p.built.warnings.map((w) => `  ${w}`));
  // escaped as on a terminal: a name in a recording cannot end the comment or put a control character in the file
  const comment = lines.map((l) => `# ${terminalSafe(l)}`.trimEnd()).join("\n");
  return `${comment}\n${stringify(scenarioDocument(p), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** A scenario name (lowercase letters, digits, '-') from a file name, its extension (and .gz) left out. */
export function scenarioNameOf(fileBase: string): string {
  const name = fileBase.replace(/\.(gz|tgz)$/i, "").replace(/\.[^.]*$/, "").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63).replace(/-+$/, "");
  return name === "" ? "imported" : name;
}
