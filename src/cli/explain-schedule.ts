/**
 * `kubetwin explain schedule`: where would this pod go, and why? Decodes a JSON input (v1 Nodes,
 * the v1 Pods already in the cluster, the v1 Pod to schedule — all through the Kubernetes codec,
 * src/k8s — and an optional scheduler profile),
 * runs one scheduling cycle over ALL nodes (no percentageOfNodesToScore sampling; a fixed seed for
 * ties; no preemption) and reports every filter verdict and every score per node.
 * Bad input raises ExplainInputError naming the object and the field path.
 */
import { Result, Schema } from "effect";
import type { Codec } from "../k8s/codec.ts";
import { decodeObject } from "../k8s/decode.ts";
import { asMutable } from "../k8s/mutable.ts";
import { NodeCodec } from "../k8s/node.ts";
import { defaultNamespace, ObjectHeader } from "../k8s/object-meta.ts";
import { PodCodec } from "../k8s/pod.ts";
import type { Segment } from "../k8s/problem.ts";
import { evolve } from "../model/evolve.ts";
import type { Node, Pod } from "../model/objects.ts";
import { Prng } from "../model/prng.ts";
import { emptyState } from "../model/state.ts";
import type { NodeExplanation } from "../policies/scheduling/explanation.ts";
import { defaultProfile, defaultSchedulerName, mergeProfile, type Profile } from "../policies/scheduling/profile.ts";
import { buildFramework } from "../policies/scheduling/registry.ts";
import { runCycle } from "../policies/scheduling/scheduler.ts";
import { nodeTreeOrder, Snapshot } from "../policies/scheduling/snapshot.ts";
import { formatPath } from "../scenario/error.ts";

export const explainSeed = 0;

export interface ExplainResult {
  selectedNode: string | null;
  nodes: {
    name: string;
    filter: { plugin: string; code: string; reasons: string[] }[];
    scores: { plugin: string; raw: number; normalized: number; weight: number }[];
    total: number | null;
  }[];
}

export class ExplainInputError extends Error {
  override name = "ExplainInputError";
  readonly object: string;
  readonly path: string;
  constructor(object: string, path: string, problem: string) {
    super(`${object}: ${path === "" ? "" : `${path}: `}${problem}`);
    this.object = object;
    this.path = path;
  }
}

/** Decodes `raw` with a Kubernetes codec; a problem names `object` and the path inside it. */
export function decodeAs<S extends Codec<unknown>>(codec: S, raw: unknown, object: string, prefix: Segment[] = []): S["Type"] {
  const decoded = decodeObject(codec, raw);
  if (Result.isFailure(decoded)) throw new ExplainInputError(object, formatPath([...prefix, ...decoded.failure.path]), decoded.failure.message);
  return decoded.success;
}

const InputSchema = Schema.Struct({
  nodes: Schema.optionalKey(Schema.Array(Schema.Unknown)),
  pods: Schema.optionalKey(Schema.Array(Schema.Unknown)),
  pod: Schema.optionalKey(Schema.Unknown),
  profile: Schema.optionalKey(Schema.Unknown),
});

/** "nodes[0] (name)" or "pods[2] (namespace/name)": the object a problem is about. */
function labelOf(raw: unknown, where: Segment[], namespaced: boolean): string {
  const header = decodeAs(ObjectHeader, raw, "input", where).metadata;
  const name = namespaced ? `${header.namespace || defaultNamespace}/${header.name}` : header.name;
  return `${formatPath(where)} (${name})`;
}

function decodeNode(raw: unknown, index: number): Node {
  const node = decodeAs(NodeCodec, raw, labelOf(raw, ["nodes", index], false));
  if (node.metadata.uid === "") node.metadata.uid = `node-${node.metadata.name}`;
  return node;
}

function decodePod(raw: unknown, where: Segment[]): Pod {
  const pod = decodeAs(PodCodec, raw, labelOf(raw, where, true));
  if (pod.metadata.uid === "") pod.metadata.uid = `pod-${pod.metadata.namespace}-${pod.metadata.name}`;
  return pod;
}

const PluginRefs = Schema.optionalKey(Schema.Array(Schema.Struct({ name: Schema.String, weight: Schema.optionalKey(Schema.Int) })));

/** One KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) profile; plugin args stay as written. */
const ProfileSchema = Schema.Struct({
  schedulerName: Schema.optionalKey(Schema.String),
  plugins: Schema.optionalKey(Schema.Record(Schema.String, Schema.Struct({ enabled: PluginRefs, disabled: PluginRefs }))),
  pluginConfig: Schema.optionalKey(Schema.Array(Schema.Struct({ name: Schema.String, args: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown)) }))),
});

function decodeProfile(raw: unknown): Profile {
  if (raw === undefined) return defaultProfile;
  const p = asMutable(decodeAs(ProfileSchema, raw, "profile"));
  const profile: Profile = { schedulerName: p.schedulerName || defaultSchedulerName };
  if (p.plugins !== undefined) profile.plugins = p.plugins;
  profile.pluginConfig = (p.pluginConfig ?? []).map((pc) => ({ name: pc.name, args: pc.args ?? {} }));
  return profile;
}

/** Decodes the input and evaluates the pod against every node. */
export function explainSchedule(input: unknown): ExplainResult {
  const root = decodeAs(InputSchema, input, "input");
  const nodes = (root.nodes ?? []).map(decodeNode);
  if (nodes.length === 0) throw new ExplainInputError("input", "nodes", "expected at least one node");
  const pods = (root.pods ?? []).map((raw, i) => decodePod(raw, ["pods", i]));
  if (root.pod === undefined) throw new ExplainInputError("input", "pod", "expected the pod to schedule");
  const pod = decodePod(root.pod, ["pod"]);
  if (pod.spec.nodeName !== undefined) throw new ExplainInputError(`pod (${pod.metadata.namespace}/${pod.metadata.name})`, "spec.nodeName", "the pod to schedule must not be bound");
  const built = buildFramework(mergeProfile(decodeProfile(root.profile)));
  if (built.kind === "Invalid") throw new ExplainInputError("profile", "", built.errors.join("; "));

  const state = emptyState();
  const seen = new Set<string>();
  nodes.forEach((node, i) => {
    if (seen.has(node.metadata.name)) throw new ExplainInputError(`nodes[${i}] (${node.metadata.name})`, "metadata.name", "duplicate node name");
    seen.add(node.metadata.name);
    evolve(state, { kind: "NodeAdded", node }, 0);
  });
  const keys = new Set<string>();
  [...pods, pod].forEach((p, i) => {
    const key = `${p.metadata.namespace}/${p.metadata.name}`;
    const label = i === pods.length ? "pod" : `pods[${i}]`;
    if (keys.has(key)) throw new ExplainInputError(`${label} (${key})`, "metadata.name", "duplicate pod");
    keys.add(key);
    evolve(state, { kind: "PodCreated", pod: p }, 0);
  });
  const snapshot = new Snapshot(state, nodeTreeOrder([...state.nodes.values()]));
  const target = state.pods.get(`${pod.metadata.namespace}/${pod.metadata.name}`) as Pod;
  const cycle = runCycle(built.framework, snapshot, target, Prng.fromSeed(explainSeed), { sample: false, detail: true }, {
    percentage: 100,
    startIndex: 0,
    nominatedNodeName: undefined,
  });
  const explanation = cycle.result.explanation;
  return { selectedNode: explanation.selectedNode, nodes: (explanation.nodes ?? []).map(toOutput) };
}

function toOutput(n: NodeExplanation): ExplainResult["nodes"][number] {
  return {
    name: n.name,
    filter: n.filter.map((f) => ({ plugin: f.plugin, code: f.code, reasons: [...f.reasons] })),
    scores: n.scores.map((s) => ({ plugin: s.plugin, raw: s.raw, normalized: s.normalized, weight: s.weight })),
    total: n.total,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] as number))).join("  ").trimEnd()).join("\n");
}

/** The readable form: one line per node (verdict, total), then the score breakdown. */
export function formatExplainTable(result: ExplainResult): string {
  const lines: string[] = [`Selected node: ${result.selectedNode ?? "none (the pod is unschedulable)"}`, ""];
  const verdict = (n: ExplainResult["nodes"][number]): string => {
    const failed = n.filter.filter((f) => f.code !== "Success" && f.code !== "Skip");
    return failed.length === 0 ? "feasible" : failed.map((f) => `${f.plugin} (${f.code}): ${f.reasons.join("; ")}`).join(" | ");
  };
  lines.push(table([["NODE", "TOTAL", "FILTERS"], ...result.nodes.map((n) => [n.name, n.total === null ? "-" : String(n.total), verdict(n)])]));
  const scored = result.nodes.filter((n) => n.total !== null);
  const plugins = scored[0]?.scores.map((s) => `${s.plugin}×${s.weight}`) ?? [];
  if (plugins.length > 0) {
    lines.push("", "SCORES (normalized, raw in brackets)");
    lines.push(table([["NODE", ...plugins], ...scored.map((n) => [n.name, ...n.scores.map((s) => `${s.normalized} [${s.raw}]`)])]));
  }
  return lines.join("\n") + "\n";
}
