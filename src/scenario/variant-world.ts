/**
 * A variant that changes the world, not only parameters: node pools added, patched or removed;
 * the scenario's objects added, replaced, patched (JSON merge or strategic merge, on their
 * Kubernetes JSON, through the one codec) or removed; faults added or removed. The result is a
 * whole world, checked like the baseline's (faults name nodes and workloads that exist in the
 * variant, expectations still apply), so a variant error names the line in the variant.
 */
import { Result } from "effect";
import { encodeKube, type KubeObject } from "../k8s/kinds.ts";
import type { FaultPlan, VariantWorld, WorkloadPlan } from "../sim/plan.ts";
import { checkNodes, checkPods } from "./bounds.ts";
import { inventoryOf, nodePoolsOf } from "./cluster.ts";
import { expectationsOf } from "./expectations.ts";
import { loadServicesOf } from "./load-curves.ts";
import { faultsAt, type RunFacts } from "./faults.ts";
import { manifestOf } from "./manifest.ts";
import { mergePatch, strategicPatch } from "./patches.ts";
import { policyObjectsFirst } from "./plan-order.ts";
import type { NodePoolDoc, ObjectRefDoc, ScenarioSpec, VariantDoc } from "./scenario-schema.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";
import { selectorWarnings } from "./selector-warnings.ts";
import { batchOwnersOf, deletablesOf, deploymentsOf, isScalable, workloadsOf, type LoadContext } from "./workloads.ts";
import { objectKey } from "../model/objects.ts";

export interface BaseWorld {
  spec: ScenarioSpec;
  durationMs: number;
  workloads: readonly WorkloadPlan[];
  faults: readonly FaultPlan[];
  /** Namespaces the baseline declares (spec.namespaces and Namespace manifests). */
  declaredNamespaces: readonly string[];
  /** Where spec.faults and spec.expectations are, for errors about them in the variant's world. */
  faultsSite: Site;
  expectationsSite: Site;
}

export function changesWorld(doc: VariantDoc): boolean {
  return doc.workloads !== undefined || doc.nodePools !== undefined || doc.faults !== undefined || doc.expectations !== undefined;
}

export function variantWorldOf(base: BaseWorld, doc: VariantDoc, site: Site, source: LoadContext): Checked<VariantWorld> {
  return Result.gen(function* () {
    const changes: string[] = [];
    const poolDocs = yield* poolsOf(base.spec.cluster.nodePools, doc.nodePools, siteAt(site, "nodePools"), changes);
    const nodePools = yield* nodePoolsOf(poolDocs, siteAt(site, "nodePools"));
    yield* checkNodes(nodePools, siteAt(site, "nodePools"), source.limits, false);
    const changed = yield* workloadsChanged(base, doc.workloads, siteAt(site, "workloads"), source, changes);
    const namespaces = [...new Set(["default", ...base.declaredNamespaces, ...changed.namespaces, ...changed.workloads.map((w) => w.object.metadata.namespace).filter((n) => n !== "")])].sort();
    const facts: RunFacts = {
      durationMs: base.durationMs,
      inventory: inventoryOf(nodePools),
      namespaces: new Set(namespaces),
      scalables: new Set(changed.workloads.filter(isScalable).map((w) => objectKey(w.object.metadata))),
      deployments: deploymentsOf(changed.workloads),
      batchOwners: batchOwnersOf(changed.workloads),
      deletables: deletablesOf(changed.workloads),
    };
    const keptIndexes = yield* keptFaults(base.faults, doc.faults?.remove ?? [], siteAt(site, "faults", "remove"), changes);
    // The baseline's faults the variant keeps are checked again against its world (a removed pool, a removed workload).
    const keptEntries = keptIndexes.map((i) => ({ doc: (base.spec.faults ?? [])[i] as NonNullable<ScenarioSpec["faults"]>[number], site: siteAt(base.faultsSite, i) }));
    const addedEntries = (doc.faults?.add ?? []).map((d, i) => ({ doc: d, site: siteAt(site, "faults", "add", i) }));
    const all = yield* faultsAt([...keptEntries, ...addedEntries], facts);
    const kept: FaultPlan[] = all.slice(0, keptEntries.length);
    const added = all.slice(keptEntries.length);
    for (const f of added) changes.push(`add fault "${f.label}" at ${f.atMs} ms`);
    if (doc.expectations !== undefined) changes.push("own expectations");
    const expectations = doc.expectations !== undefined
      ? yield* expectationsOf(doc.expectations, siteAt(site, "expectations"), facts, loadServicesOf(base.spec.load ?? []))
      : yield* expectationsOf(base.spec.expectations ?? [], base.expectationsSite, facts, loadServicesOf(base.spec.load ?? []));
    const workloads = policyObjectsFirst(changed.workloads);
    yield* checkPods(workloads, [...kept, ...added], site, source.limits);
    return {
      namespaces,
      nodePools,
      workloads,
      faults: [...kept, ...added].sort((a, b) => a.atMs - b.atMs),
      expectations,
      warnings: [...changed.warnings, ...selectorWarnings(nodePools, workloads)],
      changes,
    };
  });
}

function poolsOf(base: readonly NodePoolDoc[], doc: VariantDoc["nodePools"], site: Site, changes: string[]): Checked<NodePoolDoc[]> {
  return Result.gen(function* () {
    let pools = [...base];
    for (const [i, name] of (doc?.remove ?? []).entries()) {
      if (!pools.some((p) => p.name === name)) return yield* Result.fail(problemAt(siteAt(site, "remove", i), `no node pool named "${name}" (pools: ${pools.map((p) => p.name).join(", ")})`));
      pools = pools.filter((p) => p.name !== name);
      changes.push(`remove node pool ${name}`);
    }
    for (const [i, patch] of (doc?.patch ?? []).entries()) {
      const at = pools.findIndex((p) => p.name === patch.name);
      if (at < 0) return yield* Result.fail(problemAt(siteAt(site, "patch", i, "name"), `no node pool named "${patch.name}" (pools: ${pools.map((p) => p.name).join(", ")})`));
      const { name: _, ...fields } = patch;
      pools[at] = { ...(pools[at] as NodePoolDoc), ...fields };
      changes.push(`patch node pool ${patch.name}: ${Object.keys(fields).sort().join(", ")}`);
    }
    for (const pool of doc?.add ?? []) {
      pools.push(pool);
      changes.push(pool.provisioner !== undefined ? `add node pool ${pool.name} (a provisioner's NodePool)` : `add node pool ${pool.name} (${pool.count ?? 0} nodes)`);
    }
    return pools;
  });
}

function refKey(ref: ObjectRefDoc, workloads: readonly WorkloadPlan[]): WorkloadPlan | undefined {
  return workloads.find((w) => w.object.kind === ref.kind && w.object.metadata.name === ref.name && (w.object.metadata.namespace === "" || w.object.metadata.namespace === (ref.namespace ?? "default")));
}

function describeRef(ref: ObjectRefDoc): string {
  return `${ref.kind} ${ref.namespace ?? "default"}/${ref.name}`;
}

function noSuchObject(ref: ObjectRefDoc, workloads: readonly WorkloadPlan[]): string {
  const same = workloads.filter((w) => w.object.kind === ref.kind).map((w) => objectKey(w.object.metadata));
  return `no ${describeRef(ref)} in the scenario${same.length > 0 ? ` (${ref.kind}s: ${same.slice(0, 8).join(", ")})` : ""}`;
}

interface ChangedWorkloads {
  workloads: WorkloadPlan[];
  namespaces: string[];
  warnings: string[];
}

function workloadsChanged(base: BaseWorld, doc: VariantDoc["workloads"], site: Site, source: LoadContext, changes: string[]): Checked<ChangedWorkloads> {
  return Result.gen(function* () {
    let workloads = [...base.workloads];
    const warnings: string[] = [];
    const namespaces: string[] = [];
    for (const [i, ref] of (doc?.remove ?? []).entries()) {
      const found = refKey(ref, workloads);
      if (found === undefined) return yield* Result.fail(problemAt(siteAt(site, "remove", i), noSuchObject(ref, workloads)));
      workloads = workloads.filter((w) => w !== found);
      changes.push(`remove ${describeRef(ref)}`);
    }
    for (const [i, p] of (doc?.patch ?? []).entries()) {
      const patchSite = siteAt(site, "patch", i);
      const found = refKey(p.target, workloads);
      if (found === undefined) return yield* Result.fail(problemAt(siteAt(patchSite, "target"), noSuchObject(p.target, workloads)));
      if ((p.merge === undefined) === (p.strategic === undefined)) return yield* Result.fail(problemAt(patchSite, 'expected exactly one of "merge" (a JSON merge patch) or "strategic" (a strategic merge patch)'));
      const json = encodeKube(found.object as KubeObject);
      const patched = p.merge !== undefined ? mergePatch(json, p.merge) : strategicPatch(json, p.strategic);
      const outcome = yield* manifestOf(patched, siteAt(patchSite, p.merge !== undefined ? "merge" : "strategic"), { atMs: found.atMs, namespace: undefined });
      if (outcome.outcome !== "workload" || outcome.workload.object.kind !== found.object.kind || objectKey(outcome.workload.object.metadata) !== objectKey(found.object.metadata)) {
        return yield* Result.fail(problemAt(patchSite, `the patch must keep ${describeRef(p.target)} an object of the same kind and name`));
      }
      workloads = workloads.map((w) => (w === found ? outcome.workload : w));
      changes.push(`patch ${describeRef(p.target)} (${p.merge !== undefined ? "merge" : "strategic"})`);
    }
    if (doc?.replace !== undefined) {
      const loaded = yield* workloadsOf(doc.replace, siteAt(site, "replace"), source);
      for (const [i, w] of loaded.workloads.entries()) {
        const at = workloads.findIndex((x) => x.object.kind === w.object.kind && objectKey(x.object.metadata) === objectKey(w.object.metadata));
        if (at < 0) return yield* Result.fail(problemAt(siteAt(site, "replace", i), `nothing to replace: no ${w.object.kind} ${objectKey(w.object.metadata)} in the scenario (use add)`));
        workloads[at] = w;
        changes.push(`replace ${w.object.kind} ${objectKey(w.object.metadata)}`);
      }
      warnings.push(...loaded.warnings);
      namespaces.push(...loaded.namespaces);
    }
    if (doc?.add !== undefined) {
      const loaded = yield* workloadsOf(doc.add, siteAt(site, "add"), source);
      for (const [i, w] of loaded.workloads.entries()) {
        if (workloads.some((x) => x.object.kind === w.object.kind && objectKey(x.object.metadata) === objectKey(w.object.metadata))) {
          return yield* Result.fail(problemAt(siteAt(site, "add", i), `${w.object.kind} ${objectKey(w.object.metadata)} is already in the scenario (use replace or patch)`));
        }
        workloads.push(w);
        changes.push(`add ${w.object.kind} ${objectKey(w.object.metadata)}`);
      }
      warnings.push(...loaded.warnings);
      namespaces.push(...loaded.namespaces);
    }
    return { workloads, namespaces, warnings };
  });
}

/** Indexes (in spec.faults) of the baseline faults the variant keeps. */
function keptFaults(faults: readonly FaultPlan[], refs: NonNullable<NonNullable<VariantDoc["faults"]>["remove"]>, site: Site, changes: string[]): Checked<number[]> {
  return Result.gen(function* () {
    const removed = new Set<number>();
    for (const [i, ref] of refs.entries()) {
      const at = "index" in ref ? (ref.index < faults.length ? ref.index : -1) : faults.findIndex((f) => f.label === ref.label);
      if (at < 0) {
        const known = faults.map((f, j) => `${j}: "${f.label}"`).join(", ");
        return yield* Result.fail(problemAt(siteAt(site, i), `no such fault in spec.faults (faults: ${known || "none"})`));
      }
      removed.add(at);
      changes.push(`remove fault "${(faults[at] as FaultPlan).label}"`);
    }
    return faults.map((_, i) => i).filter((i) => !removed.has(i));
  });
}
