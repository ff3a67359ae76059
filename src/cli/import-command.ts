/** `kubetwin import simkube|kwok <recording> -o <scenario.yaml|log.db>`: a recording from another tool → a scenario, or a run of it. */
import { writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { basename, dirname, extname } from "node:path";
import { parseArgs } from "node:util";
import { formatDurationMs } from "../model/units.ts";
import { defaultLimits } from "../scenario/limits.ts";
import { readRegularBytes, readRegularFile } from "../scenario/manifest-files.ts";
import { formatScenarioError, loadScenarioText } from "../scenario/load.ts";
import { terminalSafe } from "../scenario/terminal-text.ts";
import { durationMsOf } from "../k8s/duration.ts";
import { clusterOfScenarioText, defaultNodeShape, sizedCluster, type ClusterChoice } from "../import/import-cluster.ts";
import { formatImportProblem } from "../import/import-problem.ts";
import { importSimkube } from "../import/simkube-import.ts";
import { importKwok } from "../import/kwok-import.ts";
import type { TimelineScenario } from "../import/timeline-scenario.ts";
import type { ScenarioPlan } from "../sim/plan.ts";
import { BadInput, exitOk } from "./exit-codes.ts";
import { parseIntArg } from "./int-arg.ts";
import { checkWritableFile, sameFile } from "./output-path.ts";
import { parseSeed } from "./seeds.ts";
import { limitsOption } from "./load-plan.ts";
import type { Limits } from "../scenario/limits.ts";
import { runImported, type LifecycleSource } from "./import-run.ts";

export const importHelp = `Usage: kubetwin import simkube <trace.sktrace> -o <scenario.yaml | log.db> [options]
       kubetwin import kwok <recording.yaml> -o <scenario.yaml | log.db> [options]

Turns a recording made by another tool into a kubetwin scenario:
  simkube  a SimKube trace (sk-tracer's msgpack, format version 2; or the same as JSON), read
           losslessly: tuple and integer map keys, 64-bit hashes
  kwok     a KWOK recording (kwokctl snapshot record / export --record): a YAML stream of
           objects (the snapshot), then action.kwok.x-k8s.io/v1alpha1 ResourcePatch records;
           gzipped as kwokctl writes it for a .gz path, or plain

An object's first apply becomes a workload at that time, later changes become faults (replicas:
ScaleWorkload; pod template: Rollout; paused: RolloutPause/Resume; deletes: Delete), time zero
is the recording's start (for a SimKube trace with a CronJob, the start of that minute, so minute
schedules keep their phase). Whatever the twin cannot express is printed as a warning naming the
object, the time and the field (and listed in the scenario's header), never dropped silently.
Objects a controller owns are left to the twin's controllers; status is the twin's to compute.

  -o FILE.yaml   write the scenario (kubetwin run takes it)
  -o FILE.db     run the scenario into that event log and print the run summary; for a SimKube
                 trace, also the trace's pod lifecycles beside the twin's pods, per owner
                 (\`kubetwin run --from-log FILE.db\` runs it again)

Cluster (SimKube traces record no nodes; a KWOK recording's nodes are used when it has any):
  --nodes N          nodes in the pool (default: the peak demand + 25%, at least 1)
  --node-cpu Q       allocatable cpu per node (default ${defaultNodeShape.cpu})
  --node-memory Q    allocatable memory per node (default ${defaultNodeShape.memory})
  --node-pods N      pods per node (default ${defaultNodeShape.pods})
  --cluster FILE     take spec.cluster from this scenario instead

Options:
  --tail D           virtual time after the recording's last moment (default 2m)
  --seed N           the run's seed (with -o FILE.db; default 1)
  --limit NAME=VALUE raise a bound (file-bytes, replicas, pods, nodes, duration, events; see
                     docs/scenario-format.md), once per bound
  --no-progress      never draw a progress bar
  -h, --help         this help

Exit codes: 0 ok, 2 bad input (a file that is not a trace or recording, naming the field or
byte offset; nothing is written), 3 and 4 as for run.`;

const formats = ["simkube", "kwok"] as const;
type Format = (typeof formats)[number];

export async function importCommand(argv: string[]): Promise<number> {
  const o = importOptions(argv);
  const imported = importFile(o.format, o.input, { tailMs: o.tailMs, cluster: o.cluster, fileBytesMax: o.limits.fileBytesMax });
  for (const line of [...imported.built.notes, ...imported.built.warnings.map((w) => `warning: ${w}`)]) process.stderr.write(`import: ${terminalSafe(line)}\n`);
  const plan = checkedPlan(imported.text, o.out, o.limits);
  const { workloads, faults, warnings } = imported.built;
  const counts = `${plural(workloads.length, "workload")}, ${plural(faults.length, "fault")}, ${plural(warnings.length, "warning")}`;
  if (o.target === "yaml") {
    writeFileSync(o.out, imported.text);
    process.stdout.write(`${terminalSafe(o.out)}: scenario ${plan.name}, ${formatDurationMs(plan.durationMs)}, ${counts}\n`);
    return exitOk;
  }
  process.stdout.write(`imported ${terminalSafe(o.input)}: ${counts}\n`);
  return runImported({ plan, dbPath: o.out, seed: o.seed ?? plan.seed, progress: o.progress, lifecycles: imported.lifecycles, built: imported.built, load: { limits: o.limits } });
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

interface ImportOptions {
  format: Format;
  input: string;
  out: string;
  target: "yaml" | "db";
  tailMs: number;
  seed: number | undefined;
  progress: boolean;
  limits: Limits;
  cluster: ClusterChooser;
}

/** The command line, checked before anything is read or written. */
function importOptions(argv: string[]): ImportOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string", short: "o" },
      nodes: { type: "string" },
      "node-cpu": { type: "string", default: defaultNodeShape.cpu },
      "node-memory": { type: "string", default: defaultNodeShape.memory },
      "node-pods": { type: "string" },
      cluster: { type: "string" },
      tail: { type: "string", default: "2m" },
      seed: { type: "string" },
      "no-progress": { type: "boolean", default: false },
      limit: { type: "string", multiple: true },
    },
  });
  const [format, input, ...extra] = positionals;
  if (format === undefined || !(formats as readonly string[]).includes(format)) throw new BadInput(`import needs a format: ${formats.join(" or ")} (see kubetwin import --help)`);
  if (input === undefined || extra.length > 0) throw new BadInput(`import ${format} needs exactly one input file (see kubetwin import --help)`);
  const out = values.out;
  if (out === undefined) throw new BadInput("import needs -o FILE.yaml (the scenario) or -o FILE.db (a run of it)");
  const target = outputKind(out);
  checkWritableFile("-o", out);
  if (sameFile(input, out)) throw new BadInput(`-o ${out} would overwrite the input`);
  const tailMs = durationMsOf(values.tail as string);
  if (tailMs === undefined) throw new BadInput(`--tail ${values.tail}: expected a duration like "2m"`);
  const seed = values.seed !== undefined ? parseSeed(values.seed) : undefined;
  if (seed !== undefined && target !== "db") throw new BadInput("--seed goes with -o FILE.db (a scenario file keeps its own seed)");
  const limits = limitsOption(values.limit);
  return { format: format as Format, input, out, target, tailMs, seed, progress: values["no-progress"] !== true, limits, cluster: clusterChooser(values, limits.fileBytesMax) };
}

function outputKind(out: string): "yaml" | "db" {
  const ext = extname(out).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  if (ext === ".db") return "db";
  throw new BadInput(`-o ${out}: expected a .yaml/.yml file (the scenario) or a .db file (an event log to run it into)`);
}

interface ImportedFile {
  text: string;
  built: TimelineScenario;
  lifecycles: LifecycleSource | undefined;
}

/** Given the recording's own cluster (a KWOK recording's nodes), if it has one. */
type ClusterChooser = (built: TimelineScenario, recorded?: ClusterChoice) => ClusterChoice;

function importFile(format: Format, input: string, o: { tailMs: number; fileBytesMax: number; cluster: ClusterChooser }): ImportedFile {
  const fileName = basename(input);
  if (format === "simkube") {
    const read = readRegularBytes(input, o.fileBytesMax);
    if ("error" in read) throw new BadInput(`${input}: cannot read the trace: ${read.error}`);
    const r = importSimkube(read.bytes, { fileName, tailMs: o.tailMs, cluster: (b) => o.cluster(b) });
    if (!r.ok) throw new BadInput(formatImportProblem(input, r.problem));
    return { text: r.value.text, built: r.value.built, lifecycles: { trace: r.value.trace.podLifecycles, originS: r.value.originS } };
  }
  const r = importKwok(recordingText(input, o.fileBytesMax), { fileName, shownName: input, tailMs: o.tailMs, cluster: o.cluster });
  if (!r.ok) throw new BadInput(r.message);
  return { text: r.value.text, built: r.value.built, lifecycles: undefined };
}

/** A KWOK recording's text; gzipped as kwokctl writes a `.gz` path (pkg/utils/file/compress.go), it is unpacked, within the same size limit. */
function recordingText(input: string, bytesMax: number): string {
  const read = readRegularBytes(input, bytesMax);
  if ("error" in read) throw new BadInput(`${input}: cannot read the recording: ${read.error}`);
  let bytes: Uint8Array = read.bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: bytesMax });
    } catch (e) {
      throw new BadInput(`${input}: cannot unpack the gzipped recording: ${(e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" ? `more than ${bytesMax} bytes unpacked (raise it with --limit file-bytes=…)` : (e as Error).message}`);
    }
  }
  if (bytes.includes(0)) throw new BadInput(`${input}: not a KWOK recording: not a text file (it holds NUL bytes)`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new BadInput(`${input}: not a KWOK recording: not UTF-8 text`);
  }
}

/** The cluster: --cluster FILE, or the flags' node shape sized to the peak (a recording's own nodes when it has some and no flag says otherwise). */
function clusterChooser(values: { nodes?: string | undefined; "node-cpu"?: string | undefined; "node-memory"?: string | undefined; "node-pods"?: string | undefined; cluster?: string | undefined }, fileBytesMax: number): ClusterChooser {
  const nodes = values.nodes !== undefined ? parseIntArg("--nodes", values.nodes, { min: 1, max: defaultLimits.nodesMax }) : undefined;
  const pods = values["node-pods"] !== undefined ? parseIntArg("--node-pods", values["node-pods"], { min: 1, max: 1_000_000 }) : undefined;
  const shapeGiven = nodes !== undefined || pods !== undefined || values["node-cpu"] !== defaultNodeShape.cpu || values["node-memory"] !== defaultNodeShape.memory;
  if (values.cluster !== undefined && shapeGiven) throw new BadInput("--cluster takes the whole cluster from a scenario: drop --nodes, --node-cpu, --node-memory and --node-pods");
  let fromFile: ClusterChoice | undefined;
  if (values.cluster !== undefined) {
    const read = readRegularFile(values.cluster, fileBytesMax);
    if ("error" in read) throw new BadInput(`--cluster ${values.cluster}: ${read.error}`);
    fromFile = clusterOfScenarioText(read.text, values.cluster);
    if (!fromFile.ok) throw new BadInput(fromFile.message);
  }
  const shape = { cpu: values["node-cpu"] ?? defaultNodeShape.cpu, memory: values["node-memory"] ?? defaultNodeShape.memory, pods: pods ?? defaultNodeShape.pods };
  return (built: TimelineScenario, recorded?: ClusterChoice): ClusterChoice => {
    if (fromFile !== undefined) return fromFile;
    if (recorded !== undefined && !shapeGiven) return recorded;
    return sizedCluster(built.peak, shape, nodes);
  };
}

/** The scenario as `kubetwin run` would load it: what does not load is refused before anything is written. */
function checkedPlan(text: string, out: string, limits: Limits): ScenarioPlan {
  const loaded = loadScenarioText(text, `${out} (imported)`, dirname(out), undefined, { limits });
  if (!loaded.ok) throw new BadInput(`the imported scenario does not load (nothing written): ${formatScenarioError(loaded.error)}`);
  return loaded.plan;
}
