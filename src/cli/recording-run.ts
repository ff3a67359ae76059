/**
 * A recording as a run of the log (`kubetwin record`: variant "recording", its parameters naming
 * the server), and `run --from-log` of one: its exogenous records become a scenario through the
 * import mapping (recording-scenario.ts), which runs offline like any scenario; after the summary,
 * what the cluster did (its pods per owner, read from the recording's endogenous records) beside
 * what the twin did, and how the twin followed each recorded replica change.
 */
import { dirname } from "node:path";
import { compareRecordedPods } from "../import/lifecycle-comparison.ts";
import { isJsonObject, type JsonObject } from "../import/plain-json.ts";
import { initialReplicasOf, scaleFollow } from "../import/scale-follow.ts";
import type { TwinPod } from "../import/twin-pod-lifecycles.ts";
import type { RunRow, SqliteLog } from "../log/sqlite-log.ts";
import { canonicalJson } from "../model/canonical.ts";
import { readRegularFile } from "../scenario/manifest-files.ts";
import { formatScenarioError, loadScenarioText, type LoadOptions } from "../scenario/load.ts";
import { parseYamlDocuments } from "../scenario/yaml-source.ts";
import { defaultLimits } from "../scenario/limits.ts";
import { terminalSafe } from "../scenario/terminal-text.ts";
import type { ScenarioPlan } from "../sim/plan.ts";
import type { Executed } from "./execute-run.ts";
import { BadInput } from "./exit-codes.ts";
import { lifecycleTable, podsOfRun, scaleReport, twinPods } from "./pod-comparison-report.ts";
import { readingRun } from "./open-log.ts";
import { scenarioOfRecording, timelineOfRecords, type RecordingScenario } from "./recording-scenario.ts";

export const recordingVariant = "recording";

export function recordingParameters(server: string): string {
  return canonicalJson({ recording: { server } });
}

/** The server a recording run was made from; undefined for any other run. */
export function recordingServer(run: RunRow): string | undefined {
  if (run.variant !== recordingVariant) return undefined;
  try {
    const p = JSON.parse(run.parameters) as { recording?: { server?: unknown } };
    return typeof p.recording?.server === "string" ? p.recording.server : undefined;
  } catch {
    return undefined;
  }
}

/** Virtual time after the recording's end, so that what it started settles. */
const tailMsDefault = 120_000;

export interface RecordingPlan {
  plan: ScenarioPlan;
  scenario: RecordingScenario;
  /** The cluster's pods per top owner, as the recording saw them. */
  recorded: Map<string, TwinPod[]>;
}

/** The scenario of a recording run, loaded; `variantsFile`: a scenario whose `spec.variants` the replay may run. */
export function planOfRecording(log: SqliteLog, dbPath: string, run: RunRow, variantsFile: string | undefined, load: LoadOptions): RecordingPlan {
  const timeline = readingRun(dbPath, run, () => timelineOfRecords(log.records(run.id)));
  const recorded = readingRun(dbPath, run, () => podsOfRun(log, run.id));
  const variants = variantsFile === undefined ? undefined : variantsOf(variantsFile, load);
  const origin = `run ${run.id} of ${dbPath}, recorded from ${recordingServer(run) ?? "?"}`;
  const scenario = scenarioOfRecording(timeline, { name: `recording-${run.id}`, origin, durationMs: run.durationMs, tailMs: tailMsDefault, ...(variants !== undefined ? { variants } : {}) });
  for (const line of [...scenario.built.notes, ...scenario.built.warnings.map((w) => `warning: ${w}`)]) process.stderr.write(`run --from-log: ${terminalSafe(line)}\n`);
  const loaded = loadScenarioText(scenario.text, `${dbPath} (run ${run.id}, a recording)`, dirname(dbPath), undefined, load);
  if (!loaded.ok) throw new BadInput(`the recording's scenario does not load: ${formatScenarioError(loaded.error)}`);
  return { plan: loaded.plan, scenario, recorded };
}

/** `spec.variants` of a scenario file, as written (the recording's scenario is loaded with them, and checked then). */
function variantsOf(file: string, load: LoadOptions): JsonObject {
  const read = readRegularFile(file, load.limits?.fileBytesMax ?? defaultLimits.fileBytesMax);
  if ("error" in read) throw new BadInput(`--scenario ${file}: ${read.error}`);
  const docs = parseYamlDocuments(read.text, file);
  if (!Array.isArray(docs)) throw new BadInput(formatScenarioError(docs));
  const spec = (docs[0]?.value as JsonObject | undefined)?.spec;
  const variants = isJsonObject(spec) ? spec.variants : undefined;
  if (!isJsonObject(variants)) throw new BadInput(`--scenario ${file}: expected a scenario with spec.variants`);
  return variants;
}

/** Printed after the replay's summary: the cluster beside the twin. */
export function recordingReport(r: RecordingPlan, dbPath: string | undefined, executed: Executed): string[] {
  if (dbPath === undefined || executed.runId === undefined) return ["", "(the cluster beside the twin needs the replay's log: drop --no-db)"];
  const twin = twinPods(dbPath, executed.runId);
  const rows = compareRecordedPods(r.recorded, twin);
  const built = r.scenario.built;
  return [
    ...(rows.length > 0 ? lifecycleTable(rows, "cluster") : ["", "Pods: the recording saw none created"]),
    ...scaleReport(scaleFollow(built.faults, initialReplicasOf(built.workloads), twin, r.plan.durationMs)),
  ];
}
