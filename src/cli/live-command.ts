/** `kubetwin live [--kubeconfig F] [--context C] [--for DURATION] [--debug-freeze]` */
import { parseArgs } from "node:util";
import { connectKubeClient, KubeconfigError, KubeRequestError, type KubeClient } from "../live/kube-client.ts";
import { LiveCluster } from "../live/live-cluster.ts";
import { LogOpenError, SqliteLog } from "../log/sqlite-log.ts";
import { parseDurationMs } from "../model/units.ts";
import { exitOk, UsageError } from "./exit-codes.ts";

export const liveHelp = `Usage: kubetwin live [--kubeconfig FILE] [--context NAME] [--for DURATION] [--quiet] [--debug-freeze]

Attaches to a Kubernetes cluster read-only: lists and watches every kind the twin models
(namespaces, nodes, pods, deployments, replicasets, leases, poddisruptionbudgets, priorityclasses,
resourcequotas, limitranges, persistentvolumes, persistentvolumeclaims), reads each object through
the twin's codec, prints what it observed and then every change. Relists on 410 Gone, retries with
a capped exponential backoff, restarts a watch that has gone silent. Sends only GET requests.

Options:
  --kubeconfig FILE  kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster)
  --context NAME     context (default: the kubeconfig's current context)
  --for DURATION     stop after this long, e.g. 30s (default: until Ctrl-C)
  --quiet            print only the counts, not each change
  --debug-freeze     freeze every observed object (a mutation anywhere then throws)
  -h, --help         this help`;

export interface AttachOptions {
  kubeconfig: string | undefined;
  context: string | undefined;
  debugFreeze: boolean;
}

/** Connects and lists everything once, or fails with a usage error naming the server (exit 2). */
export async function attach(options: AttachOptions, onProblem?: (m: string) => void): Promise<{ client: KubeClient; cluster: LiveCluster }> {
  let client: KubeClient;
  try {
    client = connectKubeClient({ ...(options.kubeconfig === undefined ? {} : { file: options.kubeconfig }), ...(options.context === undefined ? {} : { context: options.context }) }, { requestTimeoutMs: 10_000 });
  } catch (e) {
    if (e instanceof KubeconfigError) throw new UsageError(e.message);
    throw e;
  }
  const cluster = new LiveCluster(client, { debugFreeze: options.debugFreeze, ...(onProblem ? { onProblem } : {}) });
  try {
    await cluster.start();
  } catch (e) {
    await cluster.stop();
    if (e instanceof KubeRequestError) throw new UsageError(`cannot read the Kubernetes API server at ${client.server}: ${e.message}`);
    throw e;
  }
  return { client, cluster };
}

export async function liveCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: { kubeconfig: { type: "string" }, context: { type: "string" }, for: { type: "string" }, quiet: { type: "boolean", default: false }, "debug-freeze": { type: "boolean", default: false } },
  });
  void positionals;
  const forMs = values.for === undefined ? undefined : parseDurationMs(values.for);
  if (values.for !== undefined && forMs === undefined) throw new UsageError(`--for: expected a duration like "30s", got "${values.for}"`);
  const { client, cluster } = await attach({ kubeconfig: values.kubeconfig, context: values.context, debugFreeze: values["debug-freeze"] }, (m) => process.stderr.write(`kubetwin live: ${m}\n`));
  const counts = Object.entries(cluster.counts()).map(([k, n]) => `${k} ${n}`).join(", ");
  process.stdout.write(`attached to ${client.server}: ${counts}\n`);
  for (const [kind, refused] of cluster.refused) for (const [key, why] of refused) process.stdout.write(`  not read: ${kind} ${key}: ${why}\n`);
  if (!values.quiet) cluster.on((c) => process.stdout.write(`${c.type.padEnd(8)} ${c.kind} ${c.key}${c.object === undefined && c.type !== "deleted" ? " (not read by the codec)" : ""}\n`));
  await untilStopped(forMs);
  await cluster.stop();
  const stats = [...cluster.informers.values()].reduce((a, i) => ({ lists: a.lists + i.stats.lists, watches: a.watches + i.stats.watches, gone: a.gone + i.stats.gone, silent: a.silent + i.stats.silentRestarts, retries: a.retries + i.stats.retries }), { lists: 0, watches: 0, gone: 0, silent: 0, retries: 0 });
  process.stdout.write(`detached: ${stats.lists} lists, ${stats.watches} watches, ${stats.gone} relists on 410 Gone, ${stats.silent} silent watches restarted, ${stats.retries} retries\n`);
  return exitOk;
}

/** Resolves after `forMs` (never, when undefined) or at the first SIGINT or SIGTERM. */
export function untilStopped(forMs: number | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = forMs === undefined ? undefined : setTimeout(resolve, forMs);
    const stop = () => {
      if (timer !== undefined) clearTimeout(timer);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/** The event log an attached command writes into; an unopenable one detaches first and is a usage error (exit 2). */
export async function openLogAttached(path: string, cluster: LiveCluster): Promise<SqliteLog> {
  try {
    return SqliteLog.open(path, { create: true });
  } catch (e) {
    await cluster.stop();
    if (e instanceof LogOpenError) throw new UsageError(e.message);
    throw e;
  }
}
