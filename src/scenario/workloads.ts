/**
 * `spec.workloads[]` → workload plans. Each entry holds an inline `manifest` or names a `file`
 * (relative to the scenario file: a file of one or many YAML documents, a directory or a
 * kustomization, see manifest-tree.ts). Kinds the twin does not model yet are collected into
 * warnings that name the kind, the objects and the file, or refused under `--strict`. Policy
 * objects come first among the objects created at the same time (plan-order.ts), and pods may only
 * name priority classes the scenario defines (priority-references.ts).
 */
import { Result } from "effect";
import type { DaemonSet } from "../model/daemon-set.ts";
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
import { manifestDocsOf } from "./manifest-docs.ts";
import type { ManifestFiles } from "./manifest-files.ts";
import { manifestTreeOf } from "./manifest-tree.ts";
import { checkReplicas } from "./bounds.ts";
import type { Limits } from "./limits.ts";

export type { ManifestFiles } from "./manifest-files.ts";

/** How a scenario is taken in: where manifests come from, whether a kind the twin ignores is an error (`--strict`), the bounds. */
export interface LoadContext {
  files: ManifestFiles;
  strict: boolean;
  limits: Limits;
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
  strict: boolean;
  limits: Limits;
}

export function workloadsOf(entries: readonly WorkloadDoc[], site: Site, source: LoadContext): Checked<LoadedWorkloads> {
  const acc: Collector = {
    workloads: [], namespaces: [], warnings: [], sources: [], seen: new Map(), ignored: new Map(), priorities: emptyPriorityReferences(), strict: source.strict, limits: source.limits,
  };
  const files = source.files;
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
      const fileSite = siteAt(site, "file");
      const place = files.resolve(entry.file ?? "");
      if ("error" in place) return yield* Result.fail(problemAt(fileSite, place.error));
      const tree = yield* manifestTreeOf(place, files, fileSite);
      for (const k of tree.kustomizations) acc.sources.push({ path: k.place.written, text: k.text });
      let objects = 0;
      for (const manifest of tree.manifests) {
        const docs = yield* manifestDocsOf(manifest, files, fileSite, acc.sources);
        objects += docs.length;
        for (const doc of docs) added.push(...(yield* addManifest(acc, doc.value, { doc, path: [] }, ctx)));
      }
      if (objects === 0) return yield* Result.fail(problemAt(fileSite, `${tree.manifests.length === 1 ? `manifest file ${place.shownPath}` : place.shownPath} holds no objects`));
    }
    yield* overrideReplicas(added, entry.replicas ?? {}, siteAt(site, "replicas"), acc.limits);
  });
}

type Scalable = Extract<WorkloadPlan, { kind: "Deployment" | "ReplicaSet" }>;

/** Deployments and ReplicaSets: what `replicas:` overrides and ScaleWorkload faults may name. */
export function isScalable(w: WorkloadPlan): w is Scalable {
  return w.kind === "Deployment" || w.kind === "ReplicaSet";
}

/** What a Rollout fault may name: a Deployment or a DaemonSet (a Deployment first when both have the name). */
export type RolloutTarget = Deployment | DaemonSet;

/** Every Deployment and DaemonSet by "namespace/name" (what a Rollout fault may name). */
export function deploymentsOf(workloads: readonly WorkloadPlan[]): Map<string, RolloutTarget> {
  const out = new Map<string, RolloutTarget>();
  for (const w of workloads) if (w.kind === "Deployment") out.set(objectKey(w.object.metadata), w.object);
  for (const w of workloads) {
    if (w.kind === "PolicyObject" && w.object.kind === "DaemonSet" && !out.has(objectKey(w.object.metadata))) out.set(objectKey(w.object.metadata), w.object);
  }
  return out;
}

const deletableKinds: ReadonlySet<string> = new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"]);

/** "Kind/ns/name" of the scenario's workload objects: what a Delete fault may name. */
export function deletablesOf(workloads: readonly WorkloadPlan[]): Set<string> {
  const out = new Set<string>();
  for (const w of workloads) if (deletableKinds.has(w.object.kind)) out.add(`${w.object.kind}/${objectKey(w.object.metadata)}`);
  return out;
}

/** "cronjob/ns/name" and "job/ns/name" of the scenario's CronJobs and Jobs (what a jobs expectation names, as the summary does). */
export function batchOwnersOf(workloads: readonly WorkloadPlan[]): Set<string> {
  const out = new Set<string>();
  for (const w of workloads) if (w.object.kind === "CronJob" || w.object.kind === "Job") out.add(`${w.object.kind.toLowerCase()}/${objectKey(w.object.metadata)}`);
  return out;
}

/** Applies an entry's `replicas: {name: count}` to the Deployments/ReplicaSets it brought. */
function overrideReplicas(added: readonly WorkloadPlan[], replicas: Readonly<Record<string, number>>, site: Site, limits: Limits): Checked<void> {
  const scalables = added.filter(isScalable);
  for (const [name, count] of Object.entries(replicas)) {
    const bounded = checkReplicas(count, siteAt(site, name), limits);
    if (Result.isFailure(bounded)) return bounded;
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
        if (acc.strict) {
          return yield* Result.fail(problemAt(siteAt(site, "kind"), `${outcome.kind} ${outcome.name}: this kind is not modelled by the twin (--strict refuses what would otherwise be ignored with a warning)`));
        }
        const objects = acc.ignored.get(site.doc.file) ?? [];
        objects.push(`${outcome.kind} ${outcome.name}`);
        acc.ignored.set(site.doc.file, objects);
        return [];
      }
      case "workload": {
        const w = outcome.workload;
        if (isScalable(w)) yield* checkReplicas(w.object.spec.replicas, siteAt(site, "spec", "replicas"), acc.limits);
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
