/**
 * The edge where scenario files enter: read, parse, decode, convert. Never throws; every failure
 * is one ScenarioError naming the file, the line and column when known, the path and what was
 * expected. Synchronous on purpose: a scenario is read once, before the run.
 */
import { dirname } from "node:path";
import { Result } from "effect";
import type { ScenarioPlan } from "../sim/plan.ts";
import { planOf } from "./build-plan.ts";
import type { ScenarioError } from "./error.ts";
import { defaultLimits } from "./limits.ts";
import type { Limits } from "./limits.ts";
import { diskManifestFiles, readRegularFile } from "./manifest-files.ts";
import type { ManifestFiles } from "./manifest-files.ts";
import { notAnObject } from "./manifest-docs.ts";
import { parseYamlDocuments, toScenarioError } from "./yaml-source.ts";

export type { ScenarioError } from "./error.ts";
export { formatScenarioError } from "./error.ts";
export type { ManifestFiles } from "./manifest-files.ts";

export type LoadResult = { ok: true; plan: ScenarioPlan } | { ok: false; error: ScenarioError };

/** What the command line may change about loading (flags of `run` and `compare`). */
export interface LoadOptions {
  /** A kind the twin does not model is an error, not a warning (`--strict`). */
  strict?: boolean;
  /** Manifest paths may be absolute or leave the scenario's folder (`--allow-outside-paths`). */
  allowOutsidePaths?: boolean;
  /** Bounds on what a scenario may ask for (`--limit NAME=VALUE`). */
  limits?: Limits;
}

export function loadScenarioFile(path: string, options: LoadOptions = {}): LoadResult {
  const limits = options.limits ?? defaultLimits;
  const read = readRegularFile(path, limits.fileBytesMax);
  if ("error" in read) return { ok: false, error: { file: path, path: "", message: `cannot read scenario file: ${read.error}` } };
  const files = diskManifestFiles({ baseDir: dirname(path), shownDir: dirname(path), allowOutsidePaths: options.allowOutsidePaths === true, fileBytesMax: limits.fileBytesMax });
  return loadScenarioText(read.text, path, dirname(path), files, options);
}

/**
 * `fileNameForMessages` is what errors show; manifest `file:` entries are read relative to
 * `baseDir` (and shown relative to the directory of `fileNameForMessages`).
 */
export function loadScenarioText(text: string, fileNameForMessages: string, baseDir: string, files?: ManifestFiles, options: LoadOptions = {}): LoadResult {
  const file = fileNameForMessages;
  const limits = options.limits ?? defaultLimits;
  try {
    const docs = parseYamlDocuments(text, file);
    if (!Array.isArray(docs)) return { ok: false, error: docs };
    const [doc] = docs;
    if (doc === undefined || docs.length > 1) {
      const found = docs.length === 0 ? "an empty file" : `${docs.length} documents`;
      return { ok: false, error: { file, path: "", message: `expected one YAML document holding a Scenario, found ${found}` } };
    }
    // A file named by mistake (any file at all) is not quoted: only a would-be Scenario gets field-by-field errors.
    const notScenario = notAnObject(doc.value, ["apiVersion", "kind"]);
    if (notScenario !== undefined) {
      return { ok: false, error: toScenarioError({ doc, path: [], message: `not a kubetwin Scenario: expected a mapping with apiVersion kubetwin/v1 and kind Scenario, found ${notScenario}` }) };
    }
    const manifests = files ?? diskManifestFiles({ baseDir, shownDir: dirname(file), allowOutsidePaths: options.allowOutsidePaths === true, fileBytesMax: limits.fileBytesMax });
    const planned = planOf(doc, text, { files: manifests, strict: options.strict === true, limits });
    return Result.isSuccess(planned) ? { ok: true, plan: planned.success } : { ok: false, error: toScenarioError(planned.failure) };
  } catch (e) {
    // Only a bug gets here; still an answer, never a throw.
    return { ok: false, error: { file, path: "", message: `internal error while loading the scenario: ${e instanceof Error ? e.message : String(e)}` } };
  }
}
