/**
 * A timeline of object changes (object-timeline.ts) → the workloads and faults of a scenario:
 *  - an object's first apply → a workload entry at that time, its manifest in created form
 *    (created-form.ts), read by the codec first: an object the codec refuses, or a kind the twin
 *    does not model, is a warning naming it and the field, and is left out with its later changes;
 *  - a later apply → the faults of object-changes.ts;
 *  - a delete → a Delete fault for the workload kinds a scenario can delete, else a warning;
 *  - objects a controller owns (ownerReferences with controller: true) are the twin's controllers'
 *    to make: counted in a note, not imported; so are status-only changes and pod bindings.
 * It also tracks the peak of what the imported objects ask for (pods × requests), to size a
 * default cluster (import-cluster.ts).
 */
import { Result } from "effect";
import { decodeKube, type KubeObject } from "../k8s/kinds.ts";
import { podSpecRequests } from "../model/resources.ts";
import type { PodSpec } from "../model/objects.ts";
import { formatDurationMs } from "../model/units.ts";
import { formatPath } from "../scenario/error.ts";
import { createdForm, hasControllerOwner } from "./created-form.ts";
import { changeOf, type FaultDoc } from "./object-changes.ts";
import { objectRefOf, refKey, refText, type ObjectChange, type ObjectRef } from "./object-timeline.ts";
import { isJsonObject, type JsonObject } from "./plain-json.ts";

export interface Demand {
  cpuMilli: number;
  memoryBytes: number;
  pods: number;
}

export interface TimelineScenario {
  workloads: JsonObject[];
  faults: FaultDoc[];
  /** Each names the object, the time, the input position and the field. */
  warnings: string[];
  /** Counted, expected omissions (what the twin makes itself). */
  notes: string[];
  /** The largest total the imported objects asked for at any moment. */
  peak: Demand;
  /** Every imported object's created form at its first apply, by refKey. */
  objects: Map<string, JsonObject>;
}

/** Kinds a Delete fault takes (scenario-schema.ts DeleteSchema). */
const deletable = new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"]);
/** Kinds the scenario creates from a manifest (scenario/manifest.ts); the codec reads a few more (Node, Lease, PodMetrics) that a scenario does not take. */
const nonScenarioKinds = new Set(["Node", "Lease", "PodMetrics"]);

interface Live {
  ref: ObjectRef;
  form: JsonObject;
  model: KubeObject;
}

export function scenarioOfTimeline(changes: readonly ObjectChange[], sourceText: (c: ObjectChange) => string = (c) => formatPath(c.source)): TimelineScenario {
  const out: TimelineScenario = { workloads: [], faults: [], warnings: [], notes: [], peak: { cpuMilli: 0, memoryBytes: 0, pods: 0 }, objects: new Map() };
  const live = new Map<string, Live>();
  const demand = new Map<string, Demand>();
  let total: Demand = { cpuMilli: 0, memoryBytes: 0, pods: 0 };
  // the running total, kept per object so each change costs one object's pods, not everyone's
  const account = (key: string, model: KubeObject | undefined) => {
    const before = demand.get(key) ?? { cpuMilli: 0, memoryBytes: 0, pods: 0 };
    const after = model === undefined ? { cpuMilli: 0, memoryBytes: 0, pods: 0 } : demandOf([model]);
    total = { cpuMilli: total.cpuMilli - before.cpuMilli + after.cpuMilli, memoryBytes: total.memoryBytes - before.memoryBytes + after.memoryBytes, pods: total.pods - before.pods + after.pods };
    if (model === undefined) demand.delete(key);
    else demand.set(key, after);
    out.peak = maxDemand(out.peak, total);
  };
  const gone = new Set<string>();
  const skipped = new Set<string>();
  const counts = { owned: 0, noChange: 0, bindings: 0 };
  for (const change of changes) {
    const source = sourceText(change);
    const ref = objectRefOf(change.object);
    if (ref === undefined) {
      out.warnings.push(`${formatDurationMs(change.atMs)} (${source}): an object without kind or metadata.name: not imported`);
      continue;
    }
    const key = refKey(ref);
    if (skipped.has(key)) continue;
    if (hasControllerOwner(change.object)) {
      counts.owned++;
      continue;
    }
    const at = formatDurationMs(change.atMs);
    const current = live.get(key);
    if (change.op === "delete") {
      if (current === undefined) {
        out.warnings.push(`${at} ${refText(ref)} (${source}): deleted, but the recording never created it: not replayed`);
      } else if (deletable.has(ref.kind)) {
        out.faults.push({ type: "Delete", at, kind: ref.kind, namespace: ref.namespace, name: ref.name });
      } else {
        out.warnings.push(`${at} ${refText(ref)} (${source}): deleted; a scenario's Delete fault takes ${[...deletable].join(", ")}, not ${ref.kind}: not replayed`);
      }
      live.delete(key);
      gone.add(key);
      account(key, undefined);
      continue;
    }
    const form = createdForm(change.object);
    if (ref.kind === "Pod" && isJsonObject(change.object.spec) && change.object.spec.nodeName !== undefined) counts.bindings++;
    if (current !== undefined) {
      const changed = changeOf(ref, current.form, form, change.atMs, source);
      if (changed.faults.length === 0 && changed.warnings.length === 0) {
        // the same object again (status, bookkeeping): nothing to decode or account
        counts.noChange++;
        continue;
      }
      out.faults.push(...changed.faults);
      out.warnings.push(...changed.warnings);
      const model = modelOf(form);
      live.set(key, { ref, form, model: model.ok ? model.object : current.model });
      account(key, model.ok ? model.object : current.model);
    } else if (gone.has(key)) {
      out.warnings.push(`${at} ${refText(ref)} (${source}): created again after its deletion; a scenario creates each object once: not replayed (nor its later changes)`);
      skipped.add(key);
      continue;
    } else {
      const model = modelOf(form);
      if (!model.ok) {
        out.warnings.push(`${at} ${refText(ref)} (${source}): ${model.why}: not imported (nor its later changes)`);
        skipped.add(key);
        continue;
      }
      out.workloads.push({ at, manifest: form });
      out.objects.set(key, form);
      live.set(key, { ref, form, model: model.object });
      account(key, model.object);
    }
  }
  if (counts.owned > 0) out.notes.push(`${counts.owned} change${counts.owned === 1 ? "" : "s"} of objects a controller owns (pods of ReplicaSets, ReplicaSets of Deployments, Jobs of CronJobs …) not imported: the twin's controllers make their own`);
  if (counts.noChange > 0) out.notes.push(`${counts.noChange} apply${counts.noChange === 1 ? "" : "s"} that changed only status or bookkeeping (resourceVersion, generation, controller annotations) not imported: the twin computes those`);
  if (counts.bindings > 0) out.notes.push(`${counts.bindings} pod binding${counts.bindings === 1 ? "" : "s"} (spec.nodeName) left out: the twin's nodes have other names, and its scheduler binds`);
  return out;
}

type ModelOf = { ok: true; object: KubeObject } | { ok: false; why: string };

function modelOf(form: JsonObject): ModelOf {
  if (typeof form.kind === "string" && nonScenarioKinds.has(form.kind)) return { ok: false, why: `a scenario does not create ${form.kind} objects${form.kind === "Node" ? " (nodes come from spec.cluster)" : ""}` };
  const decoded = decodeKube(form);
  if (Result.isFailure(decoded)) return { ok: false, why: `${formatPath(decoded.failure.path) || "the object"}: ${decoded.failure.message}` };
  if (decoded.success.outcome === "not modelled") return { ok: false, why: `the twin does not model ${decoded.success.header.kind} yet` };
  return { ok: true, object: decoded.success.object };
}

/** What the objects' pods ask for together, each at its current size (a DaemonSet's pods depend on the nodes: not counted). */
export function demandOf(objects: readonly KubeObject[]): Demand {
  const total: Demand = { cpuMilli: 0, memoryBytes: 0, pods: 0 };
  for (const o of objects) {
    const sized = podsOf(o);
    if (sized === undefined) continue;
    const r = podSpecRequests(sized.spec);
    total.cpuMilli += sized.count * (r.cpu ?? 0);
    total.memoryBytes += sized.count * (r.memory ?? 0);
    total.pods += sized.count;
  }
  return total;
}

function podsOf(o: KubeObject): { count: number; spec: PodSpec } | undefined {
  switch (o.kind) {
    case "Pod":
      return { count: 1, spec: o.spec };
    case "Deployment":
    case "ReplicaSet":
    case "StatefulSet":
      return { count: o.spec.replicas, spec: o.spec.template.spec };
    case "Job":
      return { count: o.spec.parallelism, spec: o.spec.template.spec };
    case "CronJob":
      return { count: o.spec.jobTemplate.spec.parallelism, spec: o.spec.jobTemplate.spec.template.spec };
    default:
      return undefined;
  }
}

function maxDemand(a: Demand, b: Demand): Demand {
  return { cpuMilli: Math.max(a.cpuMilli, b.cpuMilli), memoryBytes: Math.max(a.memoryBytes, b.memoryBytes), pods: Math.max(a.pods, b.pods) };
}
