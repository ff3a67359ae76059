/**
 * Warns about workloads whose pods can never be placed because their nodeSelector or required
 * node affinity matches no node of the cluster (a real manifest selecting a label the node pools
 * do not carry would otherwise leave its pods Pending without a word before the run).
 * Nodes differ only by pool, zone and name, so one node per pool and zone is checked, plus every
 * node a selector names.
 */
import type { Node, Pod, PodSpec } from "../model/objects.ts";
import { podRequiredNodeAffinityMatches } from "../policies/scheduling/node-selector.ts";
import type { NodePoolPlan, WorkloadPlan } from "../sim/plan.ts";
import { makeNode, nodeName } from "../sim/world.ts";

function candidateNodes(pools: readonly NodePoolPlan[], named: ReadonlySet<string>): Node[] {
  const out: Node[] = [];
  for (const pool of pools) {
    for (let i = 0; i < Math.min(pool.count, pool.zones.length); i++) out.push(makeNode(pool, i));
    for (let i = pool.zones.length; i < pool.count; i++) if (named.has(nodeName(pool, i))) out.push(makeNode(pool, i));
  }
  return out;
}

function namesIn(spec: PodSpec): Set<string> {
  const names = new Set<string>(Object.values(spec.nodeSelector ?? {}));
  for (const term of spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const r of [...(term.matchExpressions ?? []), ...(term.matchFields ?? [])]) for (const v of r.values ?? []) names.add(v);
  }
  return names;
}

function describeSelector(spec: PodSpec): string {
  const parts = Object.entries(spec.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`);
  const sel = parts.length > 0 ? `nodeSelector ${parts.join(",")}` : "";
  const affinity = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined ? "required node affinity" : "";
  return [sel, affinity].filter((x) => x !== "").join(" and ");
}

export function selectorWarnings(pools: readonly NodePoolPlan[], workloads: readonly WorkloadPlan[]): string[] {
  const warnings: string[] = [];
  for (const w of workloads) {
    if (w.kind === "PolicyObject") continue;
    const spec = w.kind === "Pod" ? w.object.spec : w.object.spec.template.spec;
    if (spec.nodeSelector === undefined && spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution === undefined) continue;
    if (spec.nodeName !== undefined) continue;
    const probe: Pod = { kind: "Pod", metadata: { name: "probe", namespace: w.object.metadata.namespace, uid: "", labels: {}, creationMs: 0 }, spec, status: { phase: "Pending", ready: false } };
    if (candidateNodes(pools, namesIn(spec)).some((node) => podRequiredNodeAffinityMatches(probe, node))) continue;
    const key = `${w.object.metadata.namespace}/${w.object.metadata.name}`;
    warnings.push(`${w.kind} ${key}: its ${describeSelector(spec)} matches no node of the cluster; its pods will stay Pending`);
  }
  return warnings;
}
