/** `kubetwin shadow [--kubeconfig F] [--context C] [--db FILE] [--for DURATION] [--quiet]` */
import { parseArgs } from "node:util";
import { canonicalJson } from "../model/canonical.ts";
import type { SqliteLog } from "../log/sqlite-log.ts";
import type { LiveCluster } from "../live/live-cluster.ts";
import { formatAgreement, shadowFramework, type ScheduleVerdict } from "../live/shadow-scheduler.ts";
import type { Framework } from "../policies/scheduling/framework.ts";
import { defaultSchedulerName } from "../policies/scheduling/profile.ts";
import { schedulerConfigOf } from "../sim/scheduler-config.ts";
import { loadPlan, resolveRun } from "./load-plan.ts";
import { ShadowSession } from "../live/shadow-session.ts";
import { parseDurationMs } from "../model/units.ts";
import { codeVersion } from "./code-version.ts";
import { exitOk, UsageError } from "./exit-codes.ts";
import { attach, openLogAttached, untilStopped } from "./live-command.ts";
import { runRecording } from "./record-command.ts";

export const shadowHelp = `Usage: kubetwin shadow [--kubeconfig FILE] [--context NAME] [--db FILE] [--for DURATION] [--scenario FILE [--variant NAME]] [--record] [--quiet]

Attaches to a Kubernetes cluster read-only and runs the twin's scheduler (upstream's default profile, or a scenario variant's) in
shadow: for every pod the cluster binds, it asks where the twin would have put it in the view the
cluster's scheduler could have decided in (the changes before the bind's resourceVersion; if the
twin disagrees, earlier views back to the previous binding), prints both, records them in the
event log (a shadow run in the runs table, one row per decision in shadow_decisions) and, at the
end, the agreement: the share of bindings to the node the twin picks or to another of its best
score (a tie, which upstream breaks at random), then to its zone, and to a node the twin found
feasible. Sends only GET requests.

Options:
  --kubeconfig FILE  kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster)
  --context NAME     context (default: the kubeconfig's current context)
  --db FILE          event log to record into (default kubetwin.db)
  --for DURATION     stop after this long, e.g. 10m (default: until Ctrl-C)
  --scenario FILE    take the scheduler profile from this scenario (its default-scheduler profile)
  --variant NAME     ... as that variant changes it (default baseline)
  --record           also record the cluster into the same log, as kubetwin record does (a
                     recording run beside the shadow run; kubetwin run --from-log replays it)
  --quiet            print only the agreement
  -h, --help         this help`;

function verdictLine(v: ScheduleVerdict): string {
  const before = v.changesBefore > 0 ? ` in the view ${v.changesBefore} observed changes before the bind` : "";
  const mark = v.sameNode ? `same${before}` : v.tie ? `tie (the cluster's node has the twin's best score, ${v.bestScore})${before}` : v.realFeasible ? `differs (cluster's node ranks ${v.realRank} of ${v.nodesFeasible}, score ${v.realScore} against ${v.bestScore})` : "differs (cluster's node infeasible for the twin)";
  return `bind ${v.pod}: cluster ${v.real}, twin ${v.twin ?? "(unschedulable)"} — ${mark}`;
}

/** Runs a shadow session until `until` resolves; answers the shadow run's id and the session. */
export interface ShadowPolicy {
  /** The variant's name in the runs table ("default": upstream's default profile). */
  variant: string;
  framework: Framework;
}

/** The scheduler a shadow session runs: a scenario variant's default-scheduler profile, or upstream's default. */
export function shadowPolicy(scenario: string | undefined, variant: string | undefined): ShadowPolicy {
  if (scenario === undefined) {
    if (variant !== undefined) throw new UsageError("--variant needs --scenario (the file that defines the variant)");
    return { variant: "default", framework: shadowFramework() };
  }
  const plan = loadPlan(scenario);
  const name = variant ?? "baseline";
  const config = schedulerConfigOf(resolveRun(plan, scenario, name).plan.parameters.scheduler);
  const profile = config.profiles.find((p) => p.schedulerName === defaultSchedulerName);
  if (profile === undefined) throw new UsageError(`${scenario}, variant ${name}: no ${defaultSchedulerName} profile to shadow`);
  return { variant: `${plan.name}/${name}`, framework: shadowFramework(profile, { merged: true }) };
}

export async function runShadow(cluster: LiveCluster, server: string, log: SqliteLog, until: Promise<void>, print: (line: string) => void, policy: ShadowPolicy = shadowPolicy(undefined, undefined)): Promise<{ runId: number; session: ShadowSession }> {
  const startWallMs = Date.now();
  const runId = log.createRun({
    scenario: `shadow ${server}`, scenarioHash: "", seed: 0, variant: policy.variant, parameters: "{}", codeVersion: codeVersion(), durationMs: 0, createdWall: new Date(startWallMs).toISOString(),
  });
  const session = new ShadowSession(cluster, policy.framework, (v, seq) => {
    log.recordShadowDecision(runId, {
      seq, wallMs: Date.now(), kind: "schedule", subject: v.pod, twin: v.twin, real: v.real, agreed: v.agreed, feasible: v.realFeasible,
      detail: canonicalJson({ sameNode: v.sameNode, tie: v.tie, changesBefore: v.changesBefore, nodesFeasible: v.nodesFeasible, realRank: v.realRank, realScore: v.realScore, bestScore: v.bestScore, sameZone: v.sameZone }),
    });
    print(verdictLine(v));
  });
  await until;
  const agreement = session.agreement();
  log.finishRun(runId, { status: "shadow", fingerprint: "", eventCount: agreement.decisions, summary: canonicalJson({ durationWallMs: Date.now() - startWallMs, scheduling: agreement }) });
  return { runId, session };
}

export async function shadowCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { scenario: { type: "string" }, variant: { type: "string" }, kubeconfig: { type: "string" }, context: { type: "string" }, db: { type: "string", default: "kubetwin.db" }, for: { type: "string" }, quiet: { type: "boolean", default: false }, record: { type: "boolean", default: false } },
  });
  const forMs = values.for === undefined ? undefined : parseDurationMs(values.for);
  if (values.for !== undefined && forMs === undefined) throw new UsageError(`--for: expected a duration like "10m", got "${values.for}"`);
  const policy = shadowPolicy(values.scenario, values.variant);
  const { client, cluster } = await attach({ kubeconfig: values.kubeconfig, context: values.context, debugFreeze: false }, (m) => process.stderr.write(`kubetwin shadow: ${m}\n`));
  const log = await openLogAttached(values.db, cluster);
  process.stdout.write(`shadowing ${client.server}: ${cluster.objects.get("Node")?.size ?? 0} nodes, ${cluster.objects.get("Pod")?.size ?? 0} pods; recording into ${values.db}\n`);
  const until = untilStopped(forMs);
  try {
    const startMs = performance.now();
    const recording = values.record ? runRecording(cluster, client.server, log, until, () => performance.now() - startMs, () => {}, Date.now()) : undefined;
    const { runId, session } = await runShadow(cluster, client.server, log, until, (line) => {
      if (!values.quiet) process.stdout.write(line + "\n");
    }, policy);
    process.stdout.write(`${formatAgreement(session.agreement())} (shadow run ${runId})\n`);
    if (recording !== undefined) {
      const r = await recording;
      process.stdout.write(`recorded ${r.session.records} events (${r.session.counts.exogenous} exogenous) (recording run ${r.runId})\n`);
    }
  } finally {
    await cluster.stop();
    log.close();
  }
  return exitOk;
}
