/**
 * `spec.faults[]` → fault plans, checked against the run: a fault happens before the end, and
 * names nodes, zones, pools, namespaces and workloads that exist. Labels default to plain text.
 */
import { Result } from "effect";
import { encodeKube } from "../k8s/kinds.ts";
import { canonicalJson } from "../model/canonical.ts";
import type { PodTemplate } from "../model/objects.ts";
import type { RolloutTarget } from "./workloads.ts";
import { manifestOf } from "./manifest.ts";
import { strategicPatch } from "./patches.ts";
import { formatDurationMs } from "../model/units.ts";
import type { Ms } from "../model/units.ts";
import type { FaultPlan, NodeTarget } from "../sim/plan.ts";
import { nodeName } from "./cluster.ts";
import type { NodeInventory } from "./cluster.ts";
import { durationMsOf } from "./formats.ts";
import { defaultNamespace } from "./manifest.ts";
import { plannedHistory, plannedUndo, recordTemplate, type PlannedHistory } from "./planned-history.ts";
import type { FaultDoc } from "./scenario-schema.ts";
import { known, problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export interface RunFacts {
  durationMs: Ms;
  inventory: NodeInventory;
  namespaces: ReadonlySet<string>;
  /** "namespace/name" of every Deployment and ReplicaSet. */
  scalables: ReadonlySet<string>;
  /** "Kind/ns/name" of every workload object (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob): what a Delete may name. */
  deletables: ReadonlySet<string>;
  /** "cronjob/ns/name" and "job/ns/name" of every CronJob and Job: what a jobs expectation may name. */
  batchOwners: ReadonlySet<string>;
  /** Every Deployment and DaemonSet by "namespace/name": what a Rollout may name. */
  deployments: ReadonlyMap<string, RolloutTarget>;
}

export function faultsOf(docs: readonly FaultDoc[], site: Site, facts: RunFacts): Checked<FaultPlan[]> {
  return faultsAt(docs.map((doc, i) => ({ doc, site: siteAt(site, i) })), facts);
}

/**
 * Faults in the order given, each checked at its own site. Rollouts are resolved in time order,
 * each over the template the earlier ones left (so rolling back to the first image is a change);
 * pauses and undos are followed in each Deployment's planned history (planned-history.ts).
 */
export function faultsAt(entries: readonly { doc: FaultDoc; site: Site }[], facts: RunFacts): Checked<FaultPlan[]> {
  return Result.gen(function* () {
    const faults: FaultPlan[] = [];
    const atMsOf = (doc: FaultDoc) => durationMsOf(doc.at) ?? 0;
    const order = entries.map((_, i) => i).sort((a, b) => atMsOf((entries[a] as { doc: FaultDoc }).doc) - atMsOf((entries[b] as { doc: FaultDoc }).doc) || a - b);
    const deployments = new Map(facts.deployments);
    const histories = new Map<string, PlannedHistory>();
    const now: RunFacts = { ...facts, deployments };
    const setTemplate = (key: string, template: PodTemplate) => {
      const d = deployments.get(key) as RolloutTarget;
      deployments.set(key, d.kind === "DaemonSet" ? { ...d, spec: { ...d.spec, template } } : { ...d, spec: { ...d.spec, template } });
    };
    for (const i of order) {
      const { doc, site } = entries[i] as { doc: FaultDoc; site: Site };
      const fault = yield* faultOf(doc, site, now);
      const key = `${"namespace" in fault ? fault.namespace : ""}/${"name" in fault ? fault.name : ""}`;
      const d = deployments.get(key);
      const history = d?.kind === "Deployment" ? (histories.get(key) ?? histories.set(key, plannedHistory(d.spec.template)).get(key)) : undefined;
      if (fault.kind === "Rollout") {
        setTemplate(key, fault.template);
        if (history !== undefined) recordTemplate(history, fault.template);
      } else if ((fault.kind === "RolloutPause" || fault.kind === "RolloutResume") && history !== undefined) {
        history.paused = fault.kind === "RolloutPause";
      } else if (fault.kind === "RolloutUndo" && history !== undefined) {
        const undo = plannedUndo(history, fault.toRevision);
        if ("problem" in undo) return yield* Result.fail(problemAt(siteAt(site, fault.toRevision > 0 ? "toRevision" : "type"), undo.problem));
        setTemplate(key, undo.template);
        recordTemplate(history, undo.template);
      }
      faults[i] = fault;
    }
    return faults;
  });
}

export function faultOf(doc: FaultDoc, site: Site, facts: RunFacts): Checked<FaultPlan> {
  return Result.gen(function* () {
    const atMs = yield* beforeEnd(doc.at, siteAt(site, "at"), facts.durationMs);
    switch (doc.type) {
      case "NodeCrash":
      case "NodeRecover": {
        const target = yield* nodeTargetOf(doc, site, facts.inventory);
        const verb = doc.type === "NodeCrash" ? "crash" : "recover";
        return { kind: doc.type, atMs, target, label: doc.label ?? `${verb} ${describeTarget(target)}` };
      }
      case "SpotInterruption": {
        const target = yield* spotTargetOf(doc, site, facts.inventory);
        const label = doc.label ?? ("node" in target ? `spot interruption of node ${target.node}` : `spot interruption of ${target.count} node${target.count === 1 ? "" : "s"} of pool ${target.pool}`);
        return { kind: doc.type, atMs, target, label };
      }
      case "NodeDrain":
      case "NodeCordon":
      case "NodeUncordon": {
        const target = yield* nodeTargetOf(doc, site, facts.inventory);
        const verb = doc.type === "NodeDrain" ? "drain" : doc.type === "NodeCordon" ? "cordon" : "uncordon";
        const timeoutMs = doc.timeout === undefined ? 0 : (durationMsOf(doc.timeout) ?? 0);
        return { kind: doc.type, atMs, target, timeoutMs, force: doc.force ?? false, label: doc.label ?? `${verb} ${describeTarget(target)}` };
      }
      case "PodKill": {
        const namespace = yield* knownNamespace(doc.namespace, site, facts);
        const count = doc.count ?? 1;
        const selector = { ...doc.selector };
        const label = doc.label ?? `kill ${count} pod${count === 1 ? "" : "s"} ${selectorText(selector)} in ${namespace}`;
        return podKill({ kind: "PodKill", atMs, namespace, selector, count, label }, doc.force === true);
      }
      case "ControlPlaneIsolate":
        return { kind: doc.type, atMs, member: doc.member, label: doc.label ?? `isolate control-plane ${memberText(doc.member)}` };
      case "ControlPlaneCrash":
        return { kind: doc.type, atMs, member: doc.member, label: doc.label ?? `crash control-plane ${memberText(doc.member)}` };
      case "ControlPlaneHeal":
        return { kind: doc.type, atMs, label: doc.label ?? "heal the control-plane network" };
      case "ControlPlaneRestart":
        return { kind: doc.type, atMs, member: doc.member, label: doc.label ?? `restart control-plane ${memberText(doc.member)}` };
      case "ControlPlaneSlowDisk": {
        const durationMs = durationMsOf(doc.duration) ?? 0;
        const label = doc.label ?? `slow disk ×${doc.factor} on control-plane ${memberText(doc.member)} for ${formatDurationMs(durationMs)}`;
        return { kind: doc.type, atMs, member: doc.member, factor: doc.factor, durationMs, label };
      }
      case "ControlPlaneClockDrift":
        return { kind: doc.type, atMs, member: doc.member, factor: doc.factor, label: doc.label ?? `clock ×${doc.factor} on control-plane ${memberText(doc.member)}` };
      case "ScaleWorkload": {
        const namespace = yield* knownNamespace(doc.namespace, site, facts);
        const key = `${namespace}/${doc.name}`;
        if (!facts.scalables.has(key)) {
          return yield* Result.fail(problemAt(siteAt(site, "name"), `no Deployment or ReplicaSet "${key}" in this scenario${known(facts.scalables)}`));
        }
        const label = doc.label ?? `scale ${key} to ${doc.replicas}`;
        return { kind: "ScaleWorkload", atMs, namespace, name: doc.name, replicas: doc.replicas, label } as const;
      }
      case "RolloutPause":
      case "RolloutResume":
      case "RolloutUndo": {
        const namespace = yield* knownNamespace(doc.namespace, site, facts);
        const key = `${namespace}/${doc.name}`;
        if (facts.deployments.get(key)?.kind !== "Deployment") {
          const deploymentKeys = [...facts.deployments].filter(([, d]) => d.kind === "Deployment").map(([k]) => k);
          return yield* Result.fail(problemAt(siteAt(site, "name"), `no Deployment "${key}" in this scenario${known(new Set(deploymentKeys))}`));
        }
        if (doc.type !== "RolloutUndo") return { kind: doc.type, atMs, namespace, name: doc.name, label: doc.label ?? `${doc.type === "RolloutPause" ? "pause" : "resume"} the rollout of ${key}` } as const;
        const toRevision = doc.toRevision ?? 0;
        const label = doc.label ?? `undo the rollout of ${key}${toRevision > 0 ? ` to revision ${toRevision}` : ""}`;
        return { kind: "RolloutUndo", atMs, namespace, name: doc.name, toRevision, label } as const;
      }
      case "Delete": {
        const namespace = yield* knownNamespace(doc.namespace, site, facts);
        const key = `${doc.kind}/${namespace}/${doc.name}`;
        if (!facts.deletables.has(key)) {
          const same = new Set([...facts.deletables].filter((k) => k.startsWith(`${doc.kind}/`)).map((k) => k.slice(doc.kind.length + 1)));
          return yield* Result.fail(problemAt(siteAt(site, "name"), `no ${doc.kind} "${namespace}/${doc.name}" in this scenario${known(same)}`));
        }
        // kubectl delete sends propagationPolicy Background unless --cascade says otherwise.
        const propagationPolicy = doc.propagationPolicy ?? "Background";
        const cascade = propagationPolicy === "Background" ? "" : ` (${propagationPolicy.toLowerCase()})`;
        const label = doc.label ?? `delete ${doc.kind.toLowerCase()} ${namespace}/${doc.name}${cascade}`;
        return { kind: "Delete", atMs, objectKind: doc.kind, namespace, name: doc.name, propagationPolicy, label } as const;
      }
      case "Rollout": {
        const namespace = yield* knownNamespace(doc.namespace, site, facts);
        const key = `${namespace}/${doc.name}`;
        const deployment = facts.deployments.get(key);
        if (deployment === undefined) {
          return yield* Result.fail(problemAt(siteAt(site, "name"), `no Deployment or DaemonSet "${key}" in this scenario${known(new Set(facts.deployments.keys()))}`));
        }
        const template = yield* rolledOutTemplate(doc, site, deployment);
        const images = Object.entries(doc.image ?? {}).map(([c, image]) => `${c}=${image}`).join(", ");
        const label = doc.label ?? `roll out ${key}${images === "" ? "" : ` (${images})`}`;
        return { kind: "Rollout", atMs, namespace, name: doc.name, template, label, ...(deployment.kind === "DaemonSet" ? { workload: "DaemonSet" as const } : {}) } as const;
      }
    }
  });
}

/** A time inside the run: at or after 0 and strictly before its end. */
export function beforeEnd(at: string | number | undefined, site: Site, durationMs: Ms): Checked<Ms> {
  const atMs = at === undefined ? 0 : (durationMsOf(at) ?? 0);
  if (atMs >= durationMs) {
    return Result.fail(problemAt(site, `expected a time before the end of the run (${formatDurationMs(durationMs)}), got ${formatDurationMs(atMs)}`));
  }
  return Result.succeed(atMs);
}

type NodeFaultDoc = Extract<FaultDoc, { type: "NodeCrash" | "NodeRecover" | "NodeDrain" | "NodeCordon" | "NodeUncordon" }>;

function nodeTargetOf(doc: NodeFaultDoc, site: Site, inventory: NodeInventory): Checked<NodeTarget> {
  const given = (["node", "zone", "pool"] as const).filter((k) => doc[k] !== undefined);
  if (given.length !== 1) return Result.fail(problemAt(site, 'expected exactly one target: "node", "zone" or "pool" (with "index")'));
  if (doc.index !== undefined && doc.pool === undefined) return Result.fail(problemAt(siteAt(site, "index"), '"index" goes with "pool"'));
  if (doc.node !== undefined) {
    if (inventory.nodes.has(doc.node)) return Result.succeed({ node: doc.node });
    return Result.fail(problemAt(siteAt(site, "node"), `no node named "${doc.node}"; nodes are named <pool>-<index>${nodeExamples(inventory)}`));
  }
  if (doc.zone !== undefined) {
    if (inventory.zones.has(doc.zone)) return Result.succeed({ zone: doc.zone });
    return Result.fail(problemAt(siteAt(site, "zone"), `no node in zone "${doc.zone}"${known(inventory.zones)}`));
  }
  const pool = doc.pool ?? "";
  const count = inventory.pools.get(pool);
  if (count === undefined) return Result.fail(problemAt(siteAt(site, "pool"), `no node pool "${pool}"${known(new Set(inventory.pools.keys()))}`));
  if (doc.index === undefined) return Result.fail(problemAt(site, `missing required field "index" (which node of pool "${pool}", 0 to ${count - 1})`));
  if (doc.index >= count) {
    return Result.fail(problemAt(siteAt(site, "index"), `expected an index from 0 to ${count - 1} (pool "${pool}" has ${count} nodes), got ${doc.index}`));
  }
  return Result.succeed({ pool, index: doc.index });
}

/** A node by name (one a growing pool may launch later counts), or a pool and how many of its spot nodes. */
function spotTargetOf(doc: Extract<FaultDoc, { type: "SpotInterruption" }>, site: Site, inventory: NodeInventory): Checked<{ node: string } | { pool: string; count: number }> {
  if ((doc.node === undefined) === (doc.pool === undefined)) return Result.fail(problemAt(site, 'expected exactly one target: "node" or "pool" (with an optional "count")'));
  if (doc.node !== undefined) {
    if (doc.count !== undefined) return Result.fail(problemAt(siteAt(site, "count"), '"count" goes with "pool"'));
    const node = doc.node;
    const launched = [...inventory.growing].some((p) => node.startsWith(`${p}-`) && /^\d+$/.test(node.slice(p.length + 1)));
    if (inventory.nodes.has(doc.node) || launched) return Result.succeed({ node: doc.node });
    return Result.fail(problemAt(siteAt(site, "node"), `no node named "${doc.node}"; nodes are named <pool>-<index>${nodeExamples(inventory)}`));
  }
  const pool = doc.pool as string;
  if (!inventory.pools.has(pool)) return Result.fail(problemAt(siteAt(site, "pool"), `no node pool "${pool}"${known(new Set(inventory.pools.keys()))}`));
  return Result.succeed({ pool, count: doc.count ?? 1 });
}

function memberText(member: number | string): string {
  return typeof member === "number" ? `member ${member}` : member === "leader" ? "leader" : "crashed members";
}

function knownNamespace(namespace: string | undefined, site: Site, facts: RunFacts): Checked<string> {
  const ns = namespace ?? defaultNamespace;
  if (facts.namespaces.has(ns)) return Result.succeed(ns);
  return Result.fail(problemAt(siteAt(site, "namespace"), `no namespace "${ns}" in this scenario${known(facts.namespaces)}`));
}

function describeTarget(target: NodeTarget): string {
  if ("node" in target) return `node ${target.node}`;
  if ("zone" in target) return `zone ${target.zone}`;
  return `node ${nodeName(target.pool, target.index)}`;
}

function selectorText(selector: Record<string, string>): string {
  const parts = Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`);
  return parts.length > 0 ? parts.join(",") : "(any)";
}

function nodeExamples(inventory: NodeInventory): string {
  const [first] = inventory.pools.keys();
  if (first === undefined) return "";
  const count = inventory.pools.get(first) ?? 1;
  return count > 1 ? `, e.g. ${nodeName(first, 0)} … ${nodeName(first, count - 1)}` : `, e.g. ${nodeName(first, 0)}`;
}

type RolloutDoc = Extract<FaultDoc, { type: "Rollout" }>;

/** The Deployment's (or DaemonSet's) new pod template: images set as `kubectl set image` does, then the strategic patch, through the codec. */
function rolledOutTemplate(doc: RolloutDoc, site: Site, deployment: RolloutTarget): Checked<PodTemplate> {
  return Result.gen(function* () {
    if (doc.image === undefined && doc.strategic === undefined) return yield* Result.fail(problemAt(site, `expected "image" (container name → image) or "strategic" (a strategic merge patch of the ${deployment.kind})`));
    const containers = deployment.spec.template.spec.containers.map((c) => c.name);
    for (const name of Object.keys(doc.image ?? {})) {
      if (!containers.includes(name)) return yield* Result.fail(problemAt(siteAt(site, "image", name), `unable to find container named "${name}" (containers: ${containers.join(", ")})`, "key"));
    }
    let json = encodeKube(deployment);
    if (doc.image !== undefined) json = strategicPatch(json, { spec: { template: { spec: { containers: Object.entries(doc.image).map(([name, image]) => ({ name, image })) } } } });
    if (doc.strategic !== undefined) json = strategicPatch(json, doc.strategic);
    const outcome = yield* manifestOf(json, siteAt(site, doc.strategic !== undefined ? "strategic" : "image"), { atMs: 0, namespace: undefined });
    const object = outcome.outcome === "workload" ? outcome.workload.object : undefined;
    if (object === undefined || object.kind !== deployment.kind || object.metadata.name !== deployment.metadata.name || !("spec" in object) || !("template" in object.spec)) {
      return yield* Result.fail(problemAt(site, `the patch must keep the ${deployment.kind} a ${deployment.kind} of the same name`));
    }
    const template = object.spec.template as PodTemplate;
    if (canonicalJson(template) === canonicalJson(deployment.spec.template)) return yield* Result.fail(problemAt(site, "the rollout does not change the pod template"));
    return template;
  });
}

/** A PodKill, with `force` only when set (plans without it stay as they were). */
function podKill(kill: Extract<FaultPlan, { kind: "PodKill" }>, force: boolean): FaultPlan {
  if (force) kill.force = true;
  return kill;
}
