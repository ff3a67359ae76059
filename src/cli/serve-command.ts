/** `kubetwin serve <db> [--run ID] [--at T] [--port P] [--speed X] [--kubeconfig-out FILE]` */
import { parseArgs } from "node:util";
import { formatDurationMs, parseDurationMs } from "../model/units.ts";
import { replay } from "../sim/replay.ts";
import { exitOk, UsageError } from "./exit-codes.ts";
import { allowIncompleteHelp, openRun, readingRun } from "./open-log.ts";
import { TwinServer } from "./serve-http.ts";
import { servedResources } from "./serve-resources.ts";
import { ServedClock, ServedWorld } from "./serve-world.ts";
import { serveLive } from "./serve-live-command.ts";
import { serveUntilStopped, type ServeArgs } from "./serve-listen.ts";

export { kubeconfigFor, type ServeArgs } from "./serve-listen.ts";

export const serveHelp = `Usage: kubetwin serve <scenario.yaml> [--seed N] [--variant NAME] [--db FILE] [--at DURATION] [--port P] [--speed X] [--kubeconfig-out FILE]
       kubetwin serve <db> [--run ID] [--at DURATION] [--port P] [--speed X] [--kubeconfig-out FILE]

A scenario file is served as a running simulation: its world is built and advanced at --speed ×
real time (from --at, default 0; --speed 0 pauses it, and a write then moves it only to its
commit), and kubectl's writes (apply -f, create -f, replace, patch, delete, scale, set image,
rollout pause/resume, cordon, drain through the Eviction API and PodDisruptionBudgets, pods'
binding) become exogenous actions at the current virtual time; a change the twin cannot make is
refused with 422 naming the field. The metrics API serves kubectl top; OpenAPI v3 serves kubectl
explain (the codec's fields). Everything the simulation
does is logged to --db when given (the run is kept as interrupted when the server stops).

A log file: serves a logged run through the Kubernetes API on 127.0.0.1, read-only: discovery, get, list and
watch (resourceVersion, label and field selectors, bookmarks, Table output for kubectl) for
namespaces, nodes, pods, deployments, replicasets, leases, poddisruptionbudgets, priorityclasses,
resourcequotas, limitranges, persistentvolumes and persistentvolumeclaims. The world starts at
--at and moves on through the run's later records at --speed × real time, so watches see them.
Virtual time 0 is 1970-01-01T00:00:00Z. Stops cleanly on SIGINT / SIGTERM.

  kubectl --kubeconfig kubetwin.kubeconfig get pods -A
  kubectl --server http://127.0.0.1:P get nodes -o wide

Options:
  --seed N               scenario: the seed (default the scenario's spec.seed)
  --variant NAME         scenario: the variant served (default baseline)
  --db FILE              scenario: log the served run into this event log
  --run ID               run id (default: the latest complete run in the log, named on stderr)
  --at DURATION          the moment served first, e.g. 25m (a log: default the end of the run; a scenario: 0)
  --port P               TCP port on 127.0.0.1 (default 6443; 0 picks a free one)
  --speed X              virtual seconds per real second after --at (default 1; 0 pauses)
  --kubeconfig-out FILE  kubeconfig written for the server (default kubetwin.kubeconfig)
${allowIncompleteHelp}
  -h, --help             this help`;


function parseServeArgs(argv: string[]): ServeArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      run: { type: "string" }, at: { type: "string" }, port: { type: "string", default: "6443" },
      speed: { type: "string", default: "1" }, "kubeconfig-out": { type: "string", default: "kubetwin.kubeconfig" }, "allow-incomplete": { type: "boolean", default: false },
      seed: { type: "string" }, variant: { type: "string", default: "baseline" }, db: { type: "string" },
    },
  });
  if (positionals.length !== 1) throw new UsageError("serve needs exactly one database file (see kubetwin serve --help)");
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port: expected a TCP port (0-65535), got "${values.port}"`);
  const speed = Number(values.speed);
  if (!/^\d+(\.\d+)?$/.test(values.speed)) throw new UsageError(`--speed: expected a non-negative number, got "${values.speed}"`);
  return { path: positionals[0] as string, run: values.run, atText: values.at, port, speed, kubeconfigOut: values["kubeconfig-out"], allowIncomplete: values["allow-incomplete"] === true, seedText: values.seed, variant: values.variant, db: values.db };
}


/** Rebuilds the world of a logged run at a moment, with the records after it to play. */
export function openServedWorld(
  path: string,
  runText: string | undefined,
  atText: string | undefined,
  worldOptions: { historyMax?: number; allowIncomplete?: boolean } = {},
): { world: ServedWorld; clock: (speed: number) => ServedClock; runId: number; atMs: number } {
  const { log, run } = openRun(path, runText, { command: "serve", allowIncomplete: worldOptions.allowIncomplete === true });
  try {
    const atMs = atText === undefined ? run.durationMs : parseDurationMs(atText);
    if (atMs === undefined) throw new UsageError(`--at: expected a duration like "30s" or "25m", got "${atText}"`);
    if (atMs > run.durationMs) throw new UsageError(`--at ${atText} is after the end of run ${run.id} (${formatDurationMs(run.durationMs)})`);
    const { snapshot, records } = readingRun(path, run, () => {
      const snapshot = log.snapshotBefore(run.id, atMs);
      return { snapshot, records: [...log.records(run.id, { afterSeq: snapshot?.seq ?? -1, atMsMax: run.durationMs })] };
    });
    const split = records.findIndex((r) => r.atMs > atMs);
    const now = split < 0 ? records : records.slice(0, split);
    const world = new ServedWorld(
      readingRun(path, run, () => replay(now, atMs, snapshot)),
      worldOptions.historyMax !== undefined ? { historyMax: worldOptions.historyMax } : {},
    );
    world.state.nowMs = atMs;
    const later = split < 0 ? [] : records.slice(split);
    return { world, clock: (speed) => new ServedClock(world, later, run.durationMs, speed), runId: run.id, atMs };
  } finally {
    log.close();
  }
}

/** A scenario is served live; anything else is read as an event log. */
export function isScenarioPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

export async function serveCommand(argv: string[]): Promise<number> {
  const args = parseServeArgs(argv);
  const scenario = isScenarioPath(args.path);
  const misplaced = scenario ? [["--run", args.run], ["--allow-incomplete", args.allowIncomplete ? true : undefined]] : [["--seed", args.seedText], ["--variant", args.variant === "baseline" ? undefined : args.variant], ["--db", args.db]];
  const wrong = misplaced.find(([, v]) => v !== undefined);
  if (wrong !== undefined) throw new UsageError(`${wrong[0]} is for serving ${scenario ? "a logged run (a log file), not a scenario" : "a scenario file, not a logged run"}`);
  if (scenario) return serveLive(args);
  const { world, clock, runId, atMs } = openServedWorld(args.path, args.run, args.atText, { allowIncomplete: args.allowIncomplete });
  world.warm(servedResources);
  const ticking = clock(args.speed);
  await serveUntilStopped(new TwinServer(world, { port: args.port }), args, (url) => `serving run ${runId} from ${formatDurationMs(atMs)} (speed ${args.speed}) on ${url}`, () => ticking.start(), () => ticking.stop());
  return exitOk;
}

