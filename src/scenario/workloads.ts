/**
 * `spec.workloads[]` → workload plans. Each entry holds an inline `manifest` or names a `file`
 * (relative to the scenario file; one file may hold many YAML documents). Kinds the twin does not
 * model yet are collected into warnings that name the kind, the objects and the file. Policy
 * objects come first among the objects created at the same time (plan-order.ts), and pods may only
 * name priority classes the scenario defines (priority-references.ts).
 */
import { Result } from "effect";
import { objectKey, type Deployment } from "../model/objects.ts";
import type { WorkloadPlan } from "../sim/plan.ts";
import { durationMsOf } from "./formats.ts";
import { manifestOf } from "./manifest.ts";
import type { ManifestContext } from "./manifest.ts";
import { policyObjectsFirst } from "./plan-order.ts";
import { checkPriorityReferences, emptyPriorityReferences } from "./priority-references.ts";
import type { PriorityReferences } from "./priority-references.ts";
import type { WorkloadDoc } from "./scenario-schema.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";
import { volumeWarnings } from "./volume-references.ts";
import { parseYamlDocuments } from "./yaml-source.ts";

/** How manifest files are found and read; tests may substitute their own. */
export interface ManifestFiles {
  /** Resolves a path written in the scenario to what is read, and to what messages show. */
  resolve(relative: string): { readPath: string; shownPath: string };
  read(readPath: string): { text: string } | { error: string };
}

export interface LoadedWorkloads {
  workloads: WorkloadPlan[];
  /** Names of Namespace objects among the manifests. */
  namespaces: string[];
  warnings: string[];
  /** Manifest files read, in order (paths as written in the scenario), for the source hash. */
  sources: { path: string; text: string }[];
}

interface Collector extends LoadedWorkloads {
  seen: Map<string, Site>;
  /** File → "Kind name" of objects of kinds not modelled yet, in file order. */
  ignored: Map<string, string[]>;
  priorities: PriorityReferences;
}

export function workloadsOf(entries: readonly WorkloadDoc[], site: Site, files: ManifestFiles): Checked<LoadedWorkloads> {
  const acc: Collector = {
    workloads: [], namespaces: [], warnings: [], sources: [], seen: new Map(), ignored: new Map(), priorities: emptyPriorityReferences(),
  };
  return Result.gen(function* () {
    for (const [i, entry] of entries.entries()) yield* addEntry(acc, entry, siteAt(site, i), files);
    yield* checkPriorityReferences(acc.priorities);
    for (const [file, objects] of acc.ignored) acc.warnings.push(`${file}: not modelled yet, ignored: ${objects.join(", ")}`);
    acc.warnings.push(...volumeWarnings(acc.workloads));
    return { workloads: policyObjectsFirst(acc.workloads), namespaces: acc.namespaces, warnings: acc.warnings, sources: acc.sources };
  });
}

function addEntry(acc: Collector, entry: WorkloadDoc, site: Site, files: ManifestFiles): Checked<void> {
  return Result.gen(function* () {
    const ctx: ManifestContext = { atMs: entry.at === undefined ? 0 : (durationMsOf(entry.at) ?? 0), namespace: entry.namespace };
    if ((entry.manifest === undefined) === (entry.file === undefined)) {
      return yield* Result.fail(problemAt(site, 'expected exactly one of "manifest" (an inline object) or "file" (a path)'));
    }
    const added: WorkloadPlan[] = [];
    if (entry.manifest !== undefined) {
      added.push(...(yield* addManifest(acc, entry.manifest, siteAt(site, "manifest"), ctx)));
    } else {
      const { readPath, shownPath } = files.resolve(entry.file ?? "");
      const read = files.read(readPath);
      if ("error" in read) return yield* Result.fail(problemAt(siteAt(site, "file"), `cannot read manifest file ${shownPath}: ${read.error}`));
      acc.sources.push({ path: entry.file ?? "", text: read.text });
      const docs = parseYamlDocuments(read.text, shownPath);
      if (!Array.isArray(docs)) return yield* Result.fail(docs);
      if (docs.length === 0) return yield* Result.fail(problemAt(siteAt(site, "file"), `manifest file ${shownPath} holds no objects`));
      for (const doc of docs) added.push(...(yield* addManifest(acc, doc.value, { doc, path: [] }, ctx)));
    }
    yield* overrideReplicas(added, entry.replicas ?? {}, siteAt(site, "replicas"));
  });
}

type Scalable = Extract<WorkloadPlan, { kind: "Deployment" | "ReplicaSet" }>;

/** Deployments and ReplicaSets: what `replicas:` overrides and ScaleWorkload faults may name. */
export function isScalable(w: WorkloadPlan): w is Scalable {
  return w.kind === "Deployment" || w.kind === "ReplicaSet";
}

/** Every Deployment by "namespace/name" (what a Rollout fault may name). */
export function deploymentsOf(workloads: readonly WorkloadPlan[]): Map<string, Deployment> {
  const out = new Map<string, Deployment>();
  for (const w of workloads) if (w.kind === "Deployment") out.set(objectKey(w.object.metadata), w.object);
  return out;
}

/** Applies an entry's `replicas: {name: count}` to the Deployments/ReplicaSets it brought. */
function overrideReplicas(added: readonly WorkloadPlan[], replicas: Readonly<Record<string, number>>, site: Site): Checked<void> {
  const scalables = added.filter(isScalable);
  for (const [name, count] of Object.entries(replicas)) {
    const targets = scalables.filter((w) => w.object.metadata.name === name);
    if (targets.length === 0) {
      const names = scalables.map((w) => w.object.metadata.name);
      const hint = names.length > 0 ? `; this entry holds: ${names.join(", ")}` : "; this entry holds none";
      return Result.fail(problemAt(siteAt(site, name), `no Deployment or ReplicaSet named "${name}" in this entry${hint}`, "key"));
    }
    for (const w of targets) w.object.spec.replicas = count;
  }
  return Result.succeed(undefined);
}

/** Adds one manifest; answers the workloads it brought (none for namespaces and ignored kinds). */
function addManifest(acc: Collector, raw: unknown, site: Site, ctx: ManifestContext): Checked<WorkloadPlan[]> {
  return Result.gen(function* () {
    const items = listItems(raw);
    if (items !== undefined) {
      const added: WorkloadPlan[] = [];
      for (const [i, item] of items.entries()) added.push(...(yield* addManifest(acc, item, siteAt(site, "items", i), ctx)));
      return added;
    }
    const outcome = yield* manifestOf(raw, site, ctx);
    switch (outcome.outcome) {
      case "namespace":
        if (!acc.namespaces.includes(outcome.name)) acc.namespaces.push(outcome.name);
        return [];
      case "ignored": {
        const objects = acc.ignored.get(site.doc.file) ?? [];
        objects.push(`${outcome.kind} ${outcome.name}`);
        acc.ignored.set(site.doc.file, objects);
        return [];
      }
      case "workload": {
        const w = outcome.workload;
        const key = `${w.object.kind} ${objectKey(w.object.metadata)}`;
        if (acc.seen.has(key)) return yield* Result.fail(problemAt(siteAt(site, "metadata", "name"), `duplicate ${key} (defined twice in this scenario)`));
        acc.seen.set(key, site);
        acc.workloads.push(w);
        notePriorities(acc.priorities, w, site, outcome.priorityClassNameSite);
        return [w];
      }
    }
  });
}

function notePriorities(refs: PriorityReferences, w: WorkloadPlan, site: Site, nameSite: Site | undefined): void {
  if (w.kind === "PolicyObject") {
    if (w.object.kind === "PriorityClass") refs.defined.set(w.object.metadata.name, { site, globalDefault: w.object.globalDefault === true });
    return;
  }
  const name = w.kind === "Pod" ? w.object.spec.priorityClassName : w.object.spec.template.spec.priorityClassName;
  if (name !== undefined && nameSite !== undefined) refs.used.push({ name, site: nameSite });
}

/** `kind: List` (what `kubectl get -o yaml` prints) holds its objects under `items`. */
function listItems(raw: unknown): readonly unknown[] | undefined {
  if (raw === null || typeof raw !== "object") return undefined;
  const { kind, items } = raw as { kind?: unknown; items?: unknown };
  return kind === "List" && Array.isArray(items) ? items : undefined;
}
