/**
 * The edge where scenario files enter: read, parse, decode, convert. Never throws; every failure
 * is one ScenarioError naming the file, the line and column when known, the path and what was
 * expected. Synchronous on purpose: a scenario is read once, before the run.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { Result } from "effect";
import type { ScenarioPlan } from "../sim/plan.ts";
import { planOf } from "./build-plan.ts";
import type { ScenarioError } from "./error.ts";
import type { ManifestFiles } from "./workloads.ts";
import { parseYamlDocuments, toScenarioError } from "./yaml-source.ts";

export type { ScenarioError } from "./error.ts";
export { formatScenarioError } from "./error.ts";
export type { ManifestFiles } from "./workloads.ts";

export type LoadResult = { ok: true; plan: ScenarioPlan } | { ok: false; error: ScenarioError };

export function loadScenarioFile(path: string): LoadResult {
  const read = readText(path);
  if ("error" in read) return { ok: false, error: { file: path, path: "", message: `cannot read scenario file: ${read.error}` } };
  return loadScenarioText(read.text, path, dirname(path));
}

/**
 * `fileNameForMessages` is what errors show; manifest `file:` entries are read relative to
 * `baseDir` (and shown relative to the directory of `fileNameForMessages`).
 */
export function loadScenarioText(text: string, fileNameForMessages: string, baseDir: string, files?: ManifestFiles): LoadResult {
  const file = fileNameForMessages;
  try {
    const docs = parseYamlDocuments(text, file);
    if (!Array.isArray(docs)) return { ok: false, error: docs };
    const [doc] = docs;
    if (doc === undefined || docs.length > 1) {
      const found = docs.length === 0 ? "an empty file" : `${docs.length} documents`;
      return { ok: false, error: { file, path: "", message: `expected one YAML document holding a Scenario, found ${found}` } };
    }
    const planned = planOf(doc, text, files ?? manifestFilesFrom(baseDir, dirname(file)));
    return Result.isSuccess(planned) ? { ok: true, plan: planned.success } : { ok: false, error: toScenarioError(planned.failure) };
  } catch (e) {
    // Only a bug gets here; still an answer, never a throw.
    return { ok: false, error: { file, path: "", message: `internal error while loading the scenario: ${e instanceof Error ? e.message : String(e)}` } };
  }
}

/** Manifest files on disk, relative to the scenario's directory. */
export function manifestFilesFrom(baseDir: string, shownDir: string): ManifestFiles {
  return {
    resolve: (relative) => ({
      readPath: resolve(baseDir, relative),
      shownPath: isAbsolute(relative) ? relative : join(shownDir, relative),
    }),
    read: readText,
  };
}

function readText(path: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(path, "utf8") };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === "ENOENT") return { error: `no such file (${path})` };
    if (code === "EISDIR") return { error: `it is a directory (${path})` };
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
