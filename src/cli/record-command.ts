/** `kubetwin record [--kubeconfig F] [--context C] --db FILE [--for DURATION] [--quiet]` */
import { parseArgs } from "node:util";
import { canonicalJson } from "../model/canonical.ts";
import { parseDurationMs, formatDurationMs } from "../model/units.ts";
import type { SqliteLog } from "../log/sqlite-log.ts";
import type { LiveCluster } from "../live/live-cluster.ts";
import { RecordSession } from "../live/record-session.ts";
import { codeVersion } from "./code-version.ts";
import { exitOk, UsageError } from "./exit-codes.ts";
import { attach, openLogAttached, untilStopped } from "./live-command.ts";
import { recordingParameters, recordingVariant } from "./recording-run.ts";

export const recordHelp = `Usage: kubetwin record --db FILE [--kubeconfig FILE] [--context NAME] [--for DURATION] [--quiet]

Attaches to a Kubernetes cluster read-only and records what it does into the event log, as a run
of its own (variant "recording"): every change of every modelled kind as the twin's events, on a
clock that starts at 0 when the recording starts (what the cluster holds then is recorded at 0),
each marked exogenous (workloads created, scaled by hand, changed or deleted; nodes joining,
leaving, cordoned) or endogenous (bindings, pod phases, status, what controllers own). Sends only
GET requests. Stops after --for, or on Ctrl-C / SIGTERM, and seals the run.

  kubetwin run --from-log FILE      replays the recording's exogenous changes offline and prints
                                    what the cluster did beside what the twin did
  kubetwin replay|digest|serve FILE read it as any logged run

Options:
  --db FILE          event log to record into (created if missing)
  --kubeconfig FILE  kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster)
  --context NAME     context (default: the kubeconfig's current context)
  --for DURATION     stop after this long, e.g. 10m (default: until Ctrl-C)
  --quiet            print only the totals at the end
  -h, --help         this help`;

/** Snapshots (and a flush of what was recorded) and a progress line this often, in wall time. */
const checkpointEveryMs = 60_000;

export interface Recorded {
  runId: number;
  session: RecordSession;
}

/**
 * Records `cluster` into `log` until `until` resolves: a run created first, checkpoints every
 * minute, then the records flushed and the run sealed (status done, its duration the time covered).
 * `nowMs` is the recording's clock (ms since it started); `originUnixMs` the unix time of its start
 * (the cluster's timestamps are moved by it onto that clock).
 */
export async function runRecording(cluster: LiveCluster, server: string, log: SqliteLog, until: Promise<void>, nowMs: () => number, print: (line: string) => void, originUnixMs = 0): Promise<Recorded> {
  const runId = log.createRun({
    scenario: `record ${server}`, scenarioHash: "", seed: 0, variant: recordingVariant, parameters: recordingParameters(server), codeVersion: codeVersion(), durationMs: 0, createdWall: new Date().toISOString(),
  });
  const sink = log.sinkForRun(runId);
  const session = new RecordSession(cluster, sink, nowMs, originUnixMs);
  print(`recorded ${session.records} events of the cluster as listed`);
  const timer = setInterval(() => {
    session.checkpoint();
    print(`${formatDurationMs(session.atMs)}: ${session.records} events (${session.counts.exogenous} exogenous)`);
  }, checkpointEveryMs);
  try {
    await until;
  } finally {
    clearInterval(timer);
    session.stop();
  }
  const fingerprint = sink.finish();
  const c = session.counts;
  const summary = { recording: { server, durationMs: session.atMs, ...c, unrecordedSamples: session.unrecordedSamples } };
  log.finishRun(runId, { status: "done", summary: canonicalJson(summary), fingerprint, eventCount: session.records, durationMs: session.atMs });
  return { runId, session };
}

export async function recordCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { kubeconfig: { type: "string" }, context: { type: "string" }, db: { type: "string" }, for: { type: "string" }, quiet: { type: "boolean", default: false } },
  });
  if (values.db === undefined) throw new UsageError("record needs --db FILE (the event log to record into)");
  const forMs = values.for === undefined ? undefined : parseDurationMs(values.for);
  if (values.for !== undefined && forMs === undefined) throw new UsageError(`--for: expected a duration like "10m", got "${values.for}"`);
  const { client, cluster } = await attach({ kubeconfig: values.kubeconfig, context: values.context, debugFreeze: false }, (m) => process.stderr.write(`kubetwin record: ${m}\n`));
  const log = await openLogAttached(values.db, cluster);
  process.stdout.write(`recording ${client.server}: ${cluster.objects.get("Node")?.size ?? 0} nodes, ${cluster.objects.get("Pod")?.size ?? 0} pods; into ${values.db}\n`);
  const until = untilStopped(forMs);
  const startMs = performance.now();
  const originUnixMs = Date.now();
  try {
    const { runId, session } = await runRecording(cluster, client.server, log, until, () => performance.now() - startMs, (line) => {
      if (!values.quiet) process.stdout.write(line + "\n");
    }, originUnixMs);
    const c = session.counts;
    process.stdout.write(`recorded ${formatDurationMs(session.atMs)}: ${session.records} events (${c.exogenous} exogenous, ${c.endogenous} endogenous), ${c.unrecorded} changes no event carries, ${c.heartbeats} lease renewals not recorded, ${c.refused} objects the codec refused (recording run ${runId})\n`);
  } finally {
    await cluster.stop();
    log.close();
  }
  return exitOk;
}
