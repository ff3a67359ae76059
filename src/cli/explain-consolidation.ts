/**
 * `kubetwin explain scale-down` for a run whose node autoscaler was the provisioner: its last
 * disruption pass at or before T (every node's consolidation verdict, the command chosen, whether
 * it was waiting for its 15 s validation or carried out) and its last provisioning decision.
 */
import { formatDurationMs, type Ms } from "../model/units.ts";
import type { DisruptionStatus, ProvisionerState, ProvisioningStatus } from "../policies/controllers/provisioner.ts";
import type { Command, NodeConsolidation } from "../policies/autoscaling/provisioner/consolidation.ts";

export interface ConsolidationExplanation {
  atMs: Ms;
  autoscaler: "provisioner";
  /** 0: no pass yet. */
  passAtMs: Ms;
  skipped?: string;
  command?: Command;
  validating: boolean;
  executed: boolean;
  nodes: NodeConsolidation[];
  provisioning?: ProvisioningStatus;
}

export function explainConsolidationOf(state: ProvisionerState, atMs: Ms): ConsolidationExplanation {
  const d: DisruptionStatus | undefined = state.lastDisruption;
  return {
    atMs, autoscaler: "provisioner", passAtMs: d?.atMs ?? 0,
    ...(d?.skipped !== undefined ? { skipped: d.skipped } : {}),
    ...(d?.command !== undefined ? { command: d.command } : {}),
    validating: d?.validating ?? false, executed: d?.executed ?? false,
    nodes: (d?.nodes ?? []).map((n) => ({ ...n })),
    ...(state.lastProvisioning !== undefined ? { provisioning: state.lastProvisioning } : {}),
  };
}

function commandText(c: Command, e: ConsolidationExplanation): string {
  const what = c.replacement !== undefined ? `replace ${c.nodes.join(", ")} with one ${c.replacement.offering.instanceType} (${c.replacement.offering.capacityType}, ${c.replacement.offering.zone})` : `delete ${c.nodes.join(", ")}`;
  const when = e.executed ? "carried out" : e.validating ? "found; carried out if the pass 15 s or more later finds it again (consolidationTTL)" : "";
  return `${c.reason} (${c.method}): ${what}, saving ${c.savingsPerHour.toFixed(3)}/h — ${when}`;
}

function verdictText(n: NodeConsolidation): string {
  if (n.code === "NotStableLongEnough") return `NotStableLongEnough: its pods last changed at ${formatDurationMs(n.stableSinceMs ?? 0)}; consolidateAfter lets it go at ${formatDurationMs(n.eligibleAtMs ?? 0)}`;
  return n.message === "" ? n.code : `${n.code}: ${n.message}`;
}

export function formatConsolidationExplanation(e: ConsolidationExplanation, header: string): string {
  const lines = [header];
  if (e.passAtMs === 0) lines.push("  no disruption pass yet (the first is 10 s into the run)");
  else lines.push(`  last disruption pass ${formatDurationMs(e.passAtMs)} (every 10s: emptiness, then multi-node, then single-node consolidation)`);
  if (e.skipped !== undefined) lines.push(`  that pass did not look for consolidations: ${e.skipped}; verdicts below are from the pass before`);
  lines.push(`  command: ${e.command !== undefined ? commandText(e.command, e) : "none"}`);
  const p = e.provisioning;
  if (p !== undefined) {
    const launched = p.launched.map((l) => `${l.node} (${l.instanceType}, ${l.capacityType}, ${l.zone}, ${l.pricePerHour}/h, ${l.pods} pod(s))`).join(", ");
    lines.push(`  last provisioning ${formatDurationMs(p.atMs)}: ${p.pending} pod(s) to place; launched ${launched === "" ? "nothing" : launched}${p.unschedulable.length > 0 ? `; ${p.unschedulable.length} unschedulable (${p.unschedulable[0]?.reason ?? ""})` : ""}`);
  }
  if (e.nodes.length > 0) {
    const width = Math.max(4, ...e.nodes.map((n) => n.node.length)) + 2;
    const pw = Math.max(8, ...e.nodes.map((n) => (n.nodePool ?? "").length)) + 2;
    lines.push("", `  ${"node".padEnd(width)}${"nodepool".padEnd(pw)}${"price/h".padStart(8)}  verdict`);
    for (const n of e.nodes) lines.push(`  ${n.node.padEnd(width)}${(n.nodePool ?? "-").padEnd(pw)}${(n.pricePerHour !== undefined ? n.pricePerHour.toFixed(3) : "-").padStart(8)}  ${verdictText(n)}`);
  }
  return lines.join("\n");
}
