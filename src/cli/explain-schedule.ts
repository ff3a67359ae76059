/**
 * `kubetwin explain schedule`: where would this pod go, and why? Decodes a JSON input (v1 Nodes,
 * the v1 Pods already in the cluster, the v1 Pod to schedule, an optional scheduler profile),
 * runs one scheduling cycle over ALL nodes (no percentageOfNodesToScore sampling; a fixed seed for
 * ties; no preemption) and reports every filter verdict and every score per node.
 * Bad input raises ExplainInputError naming the object and the field path.
 */
import { evolve } from "../model/evolve.ts";
import type { Container, Node, Pod, ResourceList, Taint } from "../model/objects.ts";
import { Prng } from "../model/prng.ts";
import { emptyState } from "../model/state.ts";
import { parseResource } from "../model/units.ts";
import type { NodeExplanation } from "../policies/scheduling/explanation.ts";
import { defaultProfile, mergeProfile, type Profile } from "../policies/scheduling/profile.ts";
import { buildFramework } from "../policies/scheduling/registry.ts";
import { runCycle } from "../policies/scheduling/scheduler.ts";
import { nodeTreeOrder, Snapshot } from "../policies/scheduling/snapshot.ts";

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

type Json = unknown;

/** Field access with a path, for error messages. */
class Cursor {
  readonly object: string;
  readonly value: Json;
  readonly path: string;
  constructor(object: string, value: Json, path = "") {
    this.object = object;
    this.value = value;
    this.path = path;
  }
  private join(key: string | number): string {
    if (typeof key === "number") return `${this.path}[${key}]`;
    return this.path === "" ? key : `${this.path}.${key}`;
  }
  fail(problem: string): never {
    throw new ExplainInputError(this.object, this.path, problem);
  }
  field(key: string): Cursor {
    const v = this.value;
    if (v === undefined || v === null) return new Cursor(this.object, undefined, this.join(key));
    if (typeof v !== "object" || Array.isArray(v)) this.fail(`expected an object, got ${describe(v)}`);
    return new Cursor(this.object, (v as Record<string, Json>)[key], this.join(key));
  }
  present(): boolean {
    return this.value !== undefined && this.value !== null;
  }
  string(): string {
    if (typeof this.value !== "string") this.fail(`expected a string, got ${describe(this.value)}`);
    return this.value;
  }
  optString(): string | undefined {
    return this.present() ? this.string() : undefined;
  }
  int(): number {
    if (typeof this.value !== "number" || !Number.isSafeInteger(this.value)) this.fail(`expected an integer, got ${describe(this.value)}`);
    return this.value;
  }
  optInt(): number | undefined {
    return this.present() ? this.int() : undefined;
  }
  bool(): boolean {
    if (typeof this.value !== "boolean") this.fail(`expected true or false, got ${describe(this.value)}`);
    return this.value;
  }
  items(): Cursor[] {
    if (!this.present()) return [];
    if (!Array.isArray(this.value)) this.fail(`expected a list, got ${describe(this.value)}`);
    return this.value.map((v, i) => new Cursor(this.object, v, this.join(i)));
  }
  entries(): [string, Cursor][] {
    if (!this.present()) return [];
    if (typeof this.value !== "object" || Array.isArray(this.value)) this.fail(`expected an object, got ${describe(this.value)}`);
    return Object.keys(this.value as object).sort().map((k) => [k, this.field(k)]);
  }
  stringMap(): Record<string, string> {
    return Object.fromEntries(this.entries().map(([k, c]) => [k, c.string()]));
  }
  oneOf<T extends string>(allowed: readonly T[]): T {
    const s = this.string();
    if (!allowed.includes(s as T)) this.fail(`expected one of ${allowed.join(", ")}, got "${s}"`);
    return s as T;
  }
  /** Structured JSON we pass through after a shape check (affinity terms, selectors). */
  raw<T>(): T | undefined {
    if (!this.present()) return undefined;
    if (typeof this.value !== "object") this.fail(`expected an object or list, got ${describe(this.value)}`);
    return structuredClone(this.value) as T;
  }
}

function describe(v: Json): string {
  if (v === undefined) return "nothing";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "a list";
  return v === null ? "null" : typeof v === "object" ? "an object" : String(v);
}

function quantities(c: Cursor): ResourceList {
  const out: ResourceList = {};
  for (const [name, q] of c.entries()) {
    const text = typeof q.value === "number" ? String(q.value) : q.string();
    const value = parseResource(name, text);
    out[name] = value ?? q.fail(`expected a Kubernetes quantity, got ${JSON.stringify(q.value)}`);
  }
  return out;
}

function decodeTaint(c: Cursor): Taint {
  const taint: Taint = { key: c.field("key").string(), effect: c.field("effect").oneOf(["NoSchedule", "PreferNoSchedule", "NoExecute"] as const) };
  const value = c.field("value").optString();
  if (value !== undefined) taint.value = value;
  return taint;
}

function decodeNode(c: Cursor, index: number): Node {
  const name = c.field("metadata").field("name").string();
  const named = new Cursor(`nodes[${index}] (${name})`, c.value);
  const meta = named.field("metadata");
  const status = named.field("status");
  const ready = status.field("conditions").items().find((cond) => cond.field("type").optString() === "Ready");
  const allocatable = quantities(status.field("allocatable").present() ? status.field("allocatable") : status.field("capacity"));
  return {
    kind: "Node",
    metadata: { name, namespace: "", uid: meta.field("uid").optString() ?? `node-${name}`, labels: meta.field("labels").stringMap(), creationMs: 0 },
    spec: {
      unschedulable: named.field("spec").field("unschedulable").present() ? named.field("spec").field("unschedulable").bool() : false,
      taints: named.field("spec").field("taints").items().map(decodeTaint),
    },
    status: {
      capacity: quantities(status.field("capacity").present() ? status.field("capacity") : status.field("allocatable")),
      allocatable,
      ready: ready === undefined ? "True" : ready.field("status").oneOf(["True", "False", "Unknown"] as const),
      readyTransitionMs: 0,
    },
  };
}

function decodeContainer(c: Cursor): Container {
  const resources = c.field("resources");
  const container: Container = {
    name: c.field("name").optString() ?? "",
    requests: quantities(resources.field("requests")),
    limits: quantities(resources.field("limits")),
  };
  const ports = c.field("ports").items().map((p) => ({
    containerPort: p.field("containerPort").int(),
    ...(p.field("hostPort").present() ? { hostPort: p.field("hostPort").int() } : {}),
    ...(p.field("hostIP").present() ? { hostIP: p.field("hostIP").string() } : {}),
    ...(p.field("protocol").present() ? { protocol: p.field("protocol").oneOf(["TCP", "UDP", "SCTP"] as const) } : {}),
  }));
  if (ports.length > 0) container.ports = ports;
  return container;
}

function decodePod(c: Cursor, label: string): Pod {
  const metaIn = c.field("metadata");
  const name = metaIn.field("name").string();
  const namespace = metaIn.field("namespace").optString() ?? "default";
  const named = new Cursor(`${label} (${namespace}/${name})`, c.value);
  const meta = named.field("metadata");
  const spec = named.field("spec");
  const containers = spec.field("containers").items().map(decodeContainer);
  if (containers.length === 0) spec.field("containers").fail("expected at least one container");
  const nodeName = spec.field("nodeName").optString();
  const pod: Pod = {
    kind: "Pod",
    metadata: { name, namespace, uid: meta.field("uid").optString() ?? `pod-${namespace}-${name}`, labels: meta.field("labels").stringMap(), creationMs: 0 },
    spec: { schedulerName: spec.field("schedulerName").optString() ?? "default-scheduler", containers },
    status: { phase: nodeName === undefined ? "Pending" : "Running", ready: nodeName !== undefined },
  };
  const s = pod.spec;
  if (nodeName !== undefined) s.nodeName = nodeName;
  const init = spec.field("initContainers").items().map(decodeContainer);
  if (init.length > 0) s.initContainers = init;
  if (spec.field("overhead").present()) s.overhead = quantities(spec.field("overhead"));
  if (spec.field("nodeSelector").present()) s.nodeSelector = spec.field("nodeSelector").stringMap();
  const affinity = spec.field("affinity").raw<Pod["spec"]["affinity"]>();
  if (affinity !== undefined) s.affinity = affinity;
  const tolerations = spec.field("tolerations").items().map((t) => {
    t.field("operator").present() && t.field("operator").oneOf(["Exists", "Equal"] as const);
    t.field("effect").present() && t.field("effect").oneOf(["NoSchedule", "PreferNoSchedule", "NoExecute", ""] as const);
    t.field("tolerationSeconds").optInt();
    return t.raw<NonNullable<Pod["spec"]["tolerations"]>[number]>() as NonNullable<Pod["spec"]["tolerations"]>[number];
  });
  if (tolerations.length > 0) s.tolerations = tolerations;
  const spread = spec.field("topologySpreadConstraints").items().map((t) => {
    t.field("maxSkew").int();
    t.field("topologyKey").string();
    t.field("whenUnsatisfiable").oneOf(["DoNotSchedule", "ScheduleAnyway"] as const);
    t.field("minDomains").optInt();
    return t.raw<NonNullable<Pod["spec"]["topologySpreadConstraints"]>[number]>() as NonNullable<Pod["spec"]["topologySpreadConstraints"]>[number];
  });
  if (spread.length > 0) s.topologySpreadConstraints = spread;
  const priority = spec.field("priority").optInt();
  if (priority !== undefined) s.priority = priority;
  if (spec.field("preemptionPolicy").present()) s.preemptionPolicy = spec.field("preemptionPolicy").oneOf(["PreemptLowerPriority", "Never"] as const);
  const phase = named.field("status").field("phase");
  if (phase.present()) pod.status.phase = phase.oneOf(["Pending", "Running", "Succeeded", "Failed"] as const);
  if (meta.field("deletionTimestamp").present()) pod.metadata.deletionMs = 0;
  return pod;
}

function decodeProfile(c: Cursor): Profile {
  if (!c.present()) return defaultProfile;
  const p = new Cursor("profile", c.value);
  const profile: Profile = { schedulerName: p.field("schedulerName").optString() ?? "default-scheduler" };
  const plugins = p.field("plugins").raw<Profile["plugins"]>();
  if (plugins !== undefined) profile.plugins = plugins;
  profile.pluginConfig = p.field("pluginConfig").items().map((pc) => ({ name: pc.field("name").string(), args: pc.field("args").raw() ?? {} }));
  return profile;
}

/** Decodes the input and evaluates the pod against every node. */
export function explainSchedule(input: unknown): ExplainResult {
  const root = new Cursor("input", input);
  if (typeof input !== "object" || input === null || Array.isArray(input)) root.fail(`expected an object, got ${describe(input)}`);
  const nodes = root.field("nodes").items().map((c, i) => decodeNode(c, i));
  if (nodes.length === 0) root.field("nodes").fail("expected at least one node");
  const pods = root.field("pods").items().map((c, i) => decodePod(c, `pods[${i}]`));
  if (!root.field("pod").present()) root.field("pod").fail("expected the pod to schedule");
  const pod = decodePod(root.field("pod"), "pod");
  if (pod.spec.nodeName !== undefined) new Cursor(`pod (${pod.metadata.namespace}/${pod.metadata.name})`, null, "spec.nodeName").fail("the pod to schedule must not be bound");
  const built = buildFramework(mergeProfile(decodeProfile(root.field("profile"))));
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
