/**
 * `kubetwin explain scale-down --log DB [--run ID] --at T [--node N] [--json]`: why each node was
 * or was not removed at that moment, in the cluster autoscaler's own reasons (upstream
 * simulator.UnremovableReason). The run's stored plan is run again on its seed and variant up to
 * T — the same decisions, checked record by record against the log, so the answer is the logged
 * run's — and the autoscaler's last scan at or before T is read from its state.
 */
import { parseArgs } from "node:util";
import type { LogRecord } from "../log/record.ts";
import type { EventSink } from "../log/sink.ts";
import type { SqliteLog } from "../log/sqlite-log.ts";
import { formatDurationMs, parseDurationMs, type Ms } from "../model/units.ts";
import { clusterAutoscalerDefaults, type ClusterAutoscalerOptions } from "../policies/autoscaling/cluster-autoscaler/options.ts";
import type { ClusterAutoscalerState, ScanStatus } from "../policies/controllers/cluster-autoscaler.ts";
import type { ProvisionerState } from "../policies/controllers/provisioner.ts";
import { applyVariant } from "../sim/plan.ts";
import { explainConsolidationOf, formatConsolidationExplanation } from "./explain-consolidation.ts";
import { buildWorld } from "../sim/world.ts";
import { allowIncompleteHelp, openRun, readingRun } from "./open-log.ts";
import { decodeStoredPlan } from "./stored-plan.ts";
import { BadInput, exitOk, IntegrityFailed, UsageError } from "./exit-codes.ts";

export const explainScaleDownHelp = `Usage: kubetwin explain scale-down --log DB --at T [--run ID] [--node N] [--json]

For every node (or one), why the cluster autoscaler did or did not remove it at virtual time T,
from its last scan at or before T, in upstream's reasons: NotUnderutilized (utilization at or
above the threshold), BlockedByPod (with the pod and NotReplicated, NotSafeToEvictAnnotation,
UnmovableKubeSystemPod or NotEnoughPdb), NoPlaceToMovePods, NotUnneededLongEnough (with the time
it became unneeded and when it may go), NodeGroupMinSizeReached, CurrentlyBeingDeleted,
NotAutoscaled, ScaleDownDisabledAnnotation, NotUnneededOtherReason (not Ready), RecentlyUnremovable
(found unremovable less than the recheck timeout ago); "unneeded" when it
could go but waits its turn or a cooldown. The run is run again from the plan it stored, on its
seed and variant, up to T, and checked record by record against the log.

When the run's node autoscaler was the provisioner (a Karpenter NodePool), it shows instead the
provisioner's last disruption pass at or before T: for each node its consolidation verdict
(Consolidated, NotStableLongEnough with when consolidateAfter lets it go, PdbPreventsEviction,
DoNotDisrupt, BudgetExhausted, PodsCannotMove, NoCheaperReplacement, SpotToSpotDisabled, NotEmpty
under WhenEmpty, ConsolidationDisabled, Disrupting, NotReady, NotOwned, NotEvaluated), the command
chosen (and whether it awaited its 15 s validation), and the last provisioning decision; --json
gives { atMs, autoscaler: "provisioner", passAtMs, command?, validating, executed, nodes: [ { node,
nodePool?, code, message, pricePerHour?, stableSinceMs?, eligibleAtMs? } ], provisioning? }.

Options:
  --log DB       the event log (required)
  --run ID       the run (default: the latest complete one)
  --at T         virtual time, e.g. 35m (required)
  --node N       only this node
  --json         { atMs, scanAtMs, inCooldown, removalsStarted, scaleUp?, nodes: [ { node, group?,
                   utilization, unneeded, reason?, blockingPod?, unneededSinceMs?, removableAfterMs?,
                   podsToMove } ] }
${allowIncompleteHelp}
  -h, --help     this help`;

export interface ScaleDownExplanation {
  atMs: Ms;
  scanAtMs: Ms;
  inCooldown: boolean;
  removalsStarted: string[];
  scaleUp?: ScanStatus["scaleUp"];
  nodes: NodeExplanation[];
}

export interface NodeExplanation {
  node: string;
  group?: string;
  utilization: number;
  unneeded: boolean;
  reason?: string;
  blockingPod?: { pod: string; reason: string };
  unneededSinceMs?: Ms;
  removableAfterMs?: Ms;
  podsToMove: string[];
}

/** Compares the re-run's records with the log's, in order; remembers the first difference. */
class CheckingSink implements EventSink {
  private readonly logged: Iterator<LogRecord>;
  diverged: string | undefined;
  constructor(logged: Iterator<LogRecord>) {
    this.logged = logged;
  }
  append(record: LogRecord): void {
    if (this.diverged !== undefined) return;
    const next = this.logged.next();
    if (next.done === true) this.diverged = `the log has no record #${record.seq} (${record.kind} ${record.subject} at ${formatDurationMs(record.atMs)})`;
    else if (next.value.payload !== record.payload || next.value.atMs !== record.atMs) this.diverged = `record #${record.seq} differs (logged ${next.value.kind} ${next.value.subject}, re-run ${record.kind} ${record.subject})`;
  }
  /** After the re-run: the log must hold nothing more up to T; the log's cursor is released either way. */
  close(): void {
    if (this.diverged === undefined) {
      const rest = this.logged.next();
      if (rest.done !== true) this.diverged = `the re-run ends before logged record #${rest.value.seq} (${rest.value.kind} ${rest.value.subject})`;
    }
    this.logged.return?.();
  }
  snapshot(): void {}
  metric(): void {}
  finish(): string {
    return "";
  }
}

type AutoscalerState = { kind: "cluster-autoscaler"; state: ClusterAutoscalerState } | { kind: "provisioner"; state: ProvisionerState };

function stateAt(log: SqliteLog, path: string, runId: number, plan: ReturnType<typeof decodeStoredPlan>, seed: number, atMs: Ms): AutoscalerState {
  const sink = new CheckingSink(log.records(runId, { atMsMax: atMs }));
  let world: ReturnType<typeof buildWorld>;
  try {
    world = buildWorld(plan, seed, sink);
    if (world.clusterAutoscaler !== undefined || world.provisioner !== undefined) world.engine.runUntil({ atMsMax: atMs, stepsMax: Number.MAX_SAFE_INTEGER });
  } finally {
    sink.close();
  }
  if (world.clusterAutoscaler === undefined && world.provisioner === undefined) throw new BadInput(`${path}: run ${runId} has no node pool with autoscaling: no cluster autoscaler ran (nor a provisioner: no pool has \`provisioner\`)`);
  if (sink.diverged !== undefined) throw new IntegrityFailed(`${path}: run ${runId}: running its plan again does not give the logged run: ${sink.diverged} (logged by another kubetwin version?)`);
  if (world.provisioner !== undefined) return { kind: "provisioner", state: world.provisioner.currentState };
  return { kind: "cluster-autoscaler", state: (world.clusterAutoscaler as NonNullable<typeof world.clusterAutoscaler>).currentState };
}

export function explainScaleDownOf(state: ClusterAutoscalerState, atMs: Ms, options: ClusterAutoscalerOptions): ScaleDownExplanation {
  const scan = state.lastScan;
  if (scan === undefined) return { atMs, scanAtMs: 0, inCooldown: false, removalsStarted: [], nodes: [] };
  const nodes = (scan.nodes ?? []).map((v): NodeExplanation => {
    const out: NodeExplanation = { node: v.node, utilization: v.utilization, unneeded: v.unneeded, podsToMove: v.podsToMove };
    if (v.group !== undefined) out.group = v.group;
    if (v.reason !== undefined) out.reason = v.reason;
    if (v.blockingPod !== undefined) out.blockingPod = { ...v.blockingPod };
    if (v.unneededSinceMs !== undefined) {
      out.unneededSinceMs = v.unneededSinceMs;
      out.removableAfterMs = v.unneededSinceMs + options.scaleDownUnneededTimeMs;
    }
    return out;
  });
  return { atMs, scanAtMs: scan.atMs, inCooldown: scan.inCooldown ?? false, removalsStarted: [...scan.removalsStarted], ...(scan.scaleUp !== undefined ? { scaleUp: scan.scaleUp } : {}), nodes };
}

function verdictText(n: NodeExplanation, options: ClusterAutoscalerOptions, removing: boolean): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (removing) return "removal started in this scan (tainted, then drained and deleted)";
  switch (n.reason) {
    case "NotUnderutilized":
      return `NotUnderutilized: utilization ${pct(n.utilization)} ≥ threshold ${pct(options.scaleDownUtilizationThreshold)}`;
    case "BlockedByPod":
      return `BlockedByPod: ${n.blockingPod?.pod ?? "?"} (${n.blockingPod?.reason ?? "?"})`;
    case "NoPlaceToMovePods":
      return `NoPlaceToMovePods: no other node fits all of ${n.podsToMove.length} pod(s) (${n.podsToMove.slice(0, 3).join(", ")}${n.podsToMove.length > 3 ? ", …" : ""})`;
    case "NotUnneededLongEnough":
      return `NotUnneededLongEnough: unneeded since ${formatDurationMs(n.unneededSinceMs ?? 0)}, may go after ${formatDurationMs(n.removableAfterMs ?? 0)}`;
    case "NodeGroupMinSizeReached":
      return `NodeGroupMinSizeReached: ${n.group ?? "its group"} would drop below its minCount`;
    case "CurrentlyBeingDeleted":
      return "CurrentlyBeingDeleted: tainted ToBeDeletedByClusterAutoscaler, being drained or deleted";
    case "NotAutoscaled":
      return "NotAutoscaled: its pool has no autoscaling";
    case "ScaleDownDisabledAnnotation":
      return "ScaleDownDisabledAnnotation: cluster-autoscaler.kubernetes.io/scale-down-disabled";
    case "NotUnneededOtherReason":
      return "NotUnneededOtherReason: not Ready";
    case "RecentlyUnremovable":
      return `RecentlyUnremovable: found unremovable less than ${formatDurationMs(options.unremovableNodeRecheckTimeoutMs)} ago, not simulated again yet`;
    case undefined:
      return n.unneeded ? `unneeded since ${formatDurationMs(n.unneededSinceMs ?? 0)} (${n.podsToMove.length === 0 ? "empty" : `${n.podsToMove.length} pod(s) to move`}); waits its turn or a cooldown` : "—";
    default:
      return n.reason;
  }
}

export function formatScaleDownExplanation(e: ScaleDownExplanation, options: ClusterAutoscalerOptions, header: string): string {
  const lines = [header];
  if (e.scanAtMs === 0 && e.nodes.length === 0 && e.scaleUp === undefined) return [...lines, "  no scan yet (the first is one scan interval into the run)"].join("\n");
  lines.push(`  last scan ${formatDurationMs(e.scanAtMs)} (every ${formatDurationMs(options.scanIntervalMs)}) · scale-down in cooldown: ${e.inCooldown ? "yes" : "no"} · removals started: ${e.removalsStarted.length > 0 ? e.removalsStarted.join(", ") : "none"}`);
  if (e.scaleUp !== undefined) {
    const chosen = e.scaleUp.chosen;
    lines.push(`  scale-up: ${e.scaleUp.pending} unschedulable pod(s), ${e.scaleUp.unhelped} not helped by existing or upcoming nodes${chosen !== undefined ? `; asked ${chosen.group} for ${chosen.nodeCount} node(s) for ${chosen.pods} pod(s)` : ""}`);
    for (const s of e.scaleUp.skipped) lines.push(`    ${s.group}: ${s.reason}`);
    if (chosen !== undefined && e.nodes.length === 0) lines.push("  this loop scaled up, so it did not consider scale-down (upstream RunOnce)");
  }
  if (e.nodes.length > 0) {
    const width = Math.max(4, ...e.nodes.map((n) => n.node.length)) + 2;
    const gw = Math.max(5, ...e.nodes.map((n) => (n.group ?? "").length)) + 2;
    lines.push("", `  ${"node".padEnd(width)}${"group".padEnd(gw)}${"util".padStart(5)}  verdict`);
    for (const n of e.nodes) lines.push(`  ${n.node.padEnd(width)}${(n.group ?? "-").padEnd(gw)}${`${Math.round(n.utilization * 100)}%`.padStart(5)}  ${verdictText(n, options, e.removalsStarted.includes(n.node))}`);
  }
  return lines.join("\n");
}

export function explainScaleDownCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { log: { type: "string" }, run: { type: "string" }, at: { type: "string" }, node: { type: "string" }, json: { type: "boolean", default: false }, "allow-incomplete": { type: "boolean", default: false } },
  });
  if (positionals.length > 0) throw new UsageError(`explain scale-down: unexpected argument "${positionals[0]}"`);
  if (values.log === undefined) throw new UsageError("explain scale-down needs --log DB");
  if (values.at === undefined) throw new UsageError("explain scale-down needs --at <duration>, e.g. --at 35m");
  const atMs = parseDurationMs(values.at);
  if (atMs === undefined) throw new UsageError(`--at: expected a duration like "30s" or "25m", got "${values.at}"`);
  const path = values.log;
  const { log, run } = openRun(path, values.run, { command: "explain scale-down", allowIncomplete: values["allow-incomplete"] === true });
  try {
    if (atMs > run.durationMs) throw new UsageError(`--at ${values.at} is after the end of run ${run.id} (${formatDurationMs(run.durationMs)})`);
    const where = `${path}: run ${run.id}`;
    const text = readingRun(path, run, () => log.planOf(run.id));
    if (text === undefined) throw new BadInput(`${where} has no stored plan (a live recording, or logged by a kubetwin older than plan storage)`);
    const plan = applyVariant(decodeStoredPlan(text, where), run.variant);
    const options = { ...clusterAutoscalerDefaults, ...plan.parameters.clusterAutoscaler };
    const found = readingRun(path, run, () => stateAt(log, path, run.id, plan, run.seed, atMs));
    const header = `explain scale-down · run ${run.id} (${run.scenario}, variant ${run.variant}, seed ${run.seed}) at ${formatDurationMs(atMs)}`;
    if (found.kind === "provisioner") {
      const e = explainConsolidationOf(found.state, atMs);
      if (values.node !== undefined) {
        const known = e.nodes.map((n) => n.node);
        if (!known.includes(values.node)) throw new BadInput(`--node: no node "${values.node}" in the pass at ${formatDurationMs(e.passAtMs)} (nodes: ${known.join(", ") || "none"})`);
        e.nodes = e.nodes.filter((n) => n.node === values.node);
      }
      process.stdout.write((values.json ? JSON.stringify(e, null, 2) : formatConsolidationExplanation(e, `${header} · provisioner`)) + "\n");
      return exitOk;
    }
    const explanation = explainScaleDownOf(found.state, atMs, options);
    if (values.node !== undefined) {
      const known = explanation.nodes.map((n) => n.node);
      if (!known.includes(values.node)) throw new BadInput(`--node: no node "${values.node}" in the scan at ${formatDurationMs(explanation.scanAtMs)} (nodes: ${known.join(", ") || "none"})`);
      explanation.nodes = explanation.nodes.filter((n) => n.node === values.node);
    }
    process.stdout.write((values.json ? JSON.stringify(explanation, null, 2) : formatScaleDownExplanation(explanation, options, header)) + "\n");
    return exitOk;
  } finally {
    log.close();
  }
}
