/**
 * A parsed scenario document → the ScenarioPlan: decode exactly, then convert each part and check
 * it against the others (faults and expectations name things that exist, times fall in the run).
 */
import { loadPlansOf, loadServicesOf } from "./load-curves.ts";
import { containerBehaviorsOf } from "./container-behavior.ts";
import { imagesOf } from "./images.ts";
import { Result } from "effect";
import { hashString } from "../model/hash.ts";
import { objectKey } from "../model/objects.ts";
import { applyVariant, defaultParameters } from "../sim/plan.ts";
import { schedulerConfigProblems } from "../sim/scheduler-config.ts";
import type { FaultPlan, ScenarioPlan, SimParameters, VariantPlan, WorkloadPlan } from "../sim/plan.ts";
import { checkDuration, checkNodes, checkPods, checkReplicas } from "./bounds.ts";
import { inventoryOf, nodePoolsOf } from "./cluster.ts";
import { expectationsOf } from "./expectations.ts";
import { beforeEnd, faultsOf } from "./faults.ts";
import type { RunFacts } from "./faults.ts";
import { durationMsOf } from "./formats.ts";
import { defaultNamespace } from "./manifest.ts";
import { controlPlaneOf, parametersOf } from "./parameters.ts";
import { checkClusterAutoscalerParameters } from "./cluster-autoscaler-parameters.ts";
import { ScenarioSchema } from "./scenario-schema.ts";
import type { ScenarioSpec } from "./scenario-schema.ts";
import { decodeAt, problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";
import { batchOwnersOf, deletablesOf, deploymentsOf, isScalable, workloadsOf } from "./workloads.ts";
import { selectorWarnings } from "./selector-warnings.ts";
import { changesWorld, variantWorldOf, type BaseWorld } from "./variant-world.ts";
import type { LoadContext } from "./workloads.ts";
import type { SourceDoc } from "./yaml-source.ts";

export const defaultSeed = 1;

export function planOf(doc: SourceDoc, sourceText: string, source: LoadContext): Checked<ScenarioPlan> {
  return Result.gen(function* () {
    const root: Site = { doc, path: [] };
    const scenario = yield* decodeAt(ScenarioSchema, doc.value, root, true);
    const spec = scenario.spec;
    const specSite = siteAt(root, "spec");
    const durationMs = durationMsOf(spec.duration) ?? 0;
    yield* checkDuration(durationMs, siteAt(specSite, "duration"), source.limits);
    const nodePools = yield* nodePoolsOf(spec.cluster.nodePools, siteAt(specSite, "cluster", "nodePools"));
    yield* checkNodes(nodePools, siteAt(specSite, "cluster", "nodePools"), source.limits, true);
    const workloadEntries = spec.workloads ?? [];
    for (const [i, entry] of workloadEntries.entries()) yield* beforeEnd(entry.at, siteAt(specSite, "workloads", i, "at"), durationMs);
    const loaded = yield* workloadsOf(workloadEntries, siteAt(specSite, "workloads"), source);
    const namespaces = namespacesOf(spec, loaded.namespaces, loaded.workloads);
    const facts: RunFacts = { durationMs, inventory: inventoryOf(nodePools), namespaces: new Set(namespaces), scalables: scalablesOf(loaded.workloads), deployments: deploymentsOf(loaded.workloads), batchOwners: batchOwnersOf(loaded.workloads), deletables: deletablesOf(loaded.workloads) };
    const faults = yield* faultsOf(spec.faults ?? [], siteAt(specSite, "faults"), facts);
    for (const [i, f] of faults.entries()) if (f.kind === "ScaleWorkload") yield* checkReplicas(f.replicas, siteAt(specSite, "faults", i, "replicas"), source.limits);
    yield* checkPods(loaded.workloads, faults, siteAt(specSite, "workloads"), source.limits);
    yield* retiredParameters(spec.parameters, siteAt(specSite, "parameters"));
    yield* checkClusterAutoscalerParameters(spec.parameters, siteAt(specSite, "parameters"));
    const parameters = withControlPlane(withOverrides(defaultParameters, spec.parameters), spec.controlPlane);
    yield* checkControlPlaneFaults(faults, parameters, siteAt(specSite, "faults"));
    const expectations = yield* expectationsOf(spec.expectations ?? [], siteAt(specSite, "expectations"), facts, loadServicesOf(spec.load ?? []));
    const base: BaseWorld = {
      spec, durationMs, workloads: loaded.workloads, faults, declaredNamespaces: [...(spec.namespaces ?? []), ...loaded.namespaces],
      faultsSite: siteAt(specSite, "faults"), expectationsSite: siteAt(specSite, "expectations"),
    };
    const variants = yield* variantsOf(spec.variants, siteAt(specSite, "variants"), base, source);
    yield* checkSchedulerConfig(parameters, siteAt(specSite, "parameters", "scheduler"));
    for (const name of Object.keys(variants)) {
      const merged = applyVariant({ parameters, variants } as ScenarioPlan, name).parameters;
      yield* checkSchedulerConfig(merged, siteAt(specSite, "variants", name, "parameters", "scheduler"));
    }
    const containerBehaviors = yield* containerBehaviorsOf(spec.containerBehavior ?? [], siteAt(specSite, "containerBehavior"), facts);
    const { plans: load, sources: traces } = yield* loadPlansOf(spec.load ?? [], siteAt(specSite, "load"), loaded.workloads, durationMs, source.files);
    const images = yield* imagesOf(spec.images ?? [], siteAt(specSite, "images"));
    const hashInput = [sourceText, ...[...loaded.sources, ...traces].map((s) => `\u0000${s.path}\u0000${s.text}`)].join("");
    return {
      name: scenario.metadata.name,
      description: scenario.metadata.description ?? "",
      sourceHash: hashString(hashInput),
      durationMs,
      seed: spec.seed ?? defaultSeed,
      namespaces,
      nodePools,
      workloads: loaded.workloads,
      faults,
      expectations,
      parameters,
      variants,
      warnings: [...loaded.warnings, ...selectorWarnings(nodePools, loaded.workloads)],
      ...(load.length > 0 ? { load } : {}),
      ...(containerBehaviors.length > 0 ? { containerBehaviors } : {}),
      ...(images.length > 0 ? { images } : {}),
    };
  });
}

/** Declared, created by manifests, and used by namespaced objects; "default" always exists. Sorted. */
function namespacesOf(spec: ScenarioSpec, fromManifests: readonly string[], workloads: readonly WorkloadPlan[]): string[] {
  const all = new Set([defaultNamespace, ...(spec.namespaces ?? []), ...fromManifests]);
  for (const w of workloads) if (w.object.metadata.namespace !== "") all.add(w.object.metadata.namespace);
  return [...all].sort();
}

function scalablesOf(workloads: readonly WorkloadPlan[]): Set<string> {
  return new Set(workloads.filter(isScalable).map((w) => objectKey(w.object.metadata)));
}

function withOverrides(base: SimParameters, doc: ScenarioSpec["parameters"]): SimParameters {
  const overrides = parametersOf(doc);
  return {
    ...base,
    ...overrides,
    scheduler: { ...base.scheduler, ...overrides.scheduler },
    controlPlane: { ...base.controlPlane, ...overrides.controlPlane },
    imagePulls: { ...base.imagePulls, ...overrides.imagePulls },
  } as SimParameters;
}

/** `spec.controlPlane` names the store; writing it at all means a Raft group unless it says ideal. */
function withControlPlane(parameters: SimParameters, doc: ScenarioSpec["controlPlane"]): SimParameters {
  if (doc === undefined) return parameters;
  const overrides = controlPlaneOf(doc);
  return { ...parameters, controlPlane: { ...parameters.controlPlane, store: "raft", ...overrides } as SimParameters["controlPlane"] };
}

/** Control-plane faults need a Raft store, and name members that exist. */
function checkControlPlaneFaults(faults: readonly FaultPlan[], parameters: SimParameters, site: Site): Checked<void> {
  for (const [i, fault] of faults.entries()) {
    if (!fault.kind.startsWith("ControlPlane")) continue;
    if (parameters.controlPlane.store !== "raft") {
      return Result.fail(problemAt(siteAt(site, i, "type"), `${fault.kind} needs a Raft control plane: add spec.controlPlane (e.g. {members: 3})`));
    }
    const member = "member" in fault ? fault.member : undefined;
    if (typeof member === "number" && member > parameters.controlPlane.members) {
      return Result.fail(problemAt(siteAt(site, i, "member"), `expected a member id from 1 to ${parameters.controlPlane.members}, got ${member}`));
    }
  }
  return Result.succeed(undefined);
}

/** The scheduler configuration must be one kube-scheduler would accept (profiles, plugins, args). */
function checkSchedulerConfig(parameters: SimParameters, site: Site): Checked<void> {
  const problems = schedulerConfigProblems(parameters.scheduler);
  if (problems.length === 0) return Result.succeed(undefined);
  return Result.fail(problemAt(site, `invalid scheduler configuration: ${problems.join("; ")}`));
}

const variantName = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * kube-controller-manager's --pod-eviction-timeout has no effect since taint-based eviction is the
 * only path (it was removed in v1.27); what decides the time now are the DefaultTolerationSeconds
 * admission defaults and each pod's own tolerationSeconds.
 */
function retiredParameters(doc: ScenarioSpec["parameters"], site: Site): Checked<void> {
  if (doc?.podEvictionTimeout === undefined) return Result.succeed(undefined);
  return Result.fail(
    problemAt(
      siteAt(site, "podEvictionTimeout"),
      "podEvictionTimeout is retired (upstream removed --pod-eviction-timeout: taint-based eviction decides when a lost node's pods go). " +
        "Use defaultNotReadyTolerationSeconds and defaultUnreachableTolerationSeconds (seconds, 300 each by default: the DefaultTolerationSeconds admission defaults), " +
        "or set tolerationSeconds on the pods' own node.kubernetes.io/unreachable and not-ready tolerations",
      "key",
    ),
  );
}

function variantsOf(docs: ScenarioSpec["variants"], site: Site, base: BaseWorld, source: LoadContext): Checked<Record<string, VariantPlan>> {
  return Result.gen(function* () {
    const out: Record<string, VariantPlan> = {};
    for (const [name, doc] of Object.entries(docs ?? {})) {
      if (name === "baseline") return yield* Result.fail(problemAt(siteAt(site, name), '"baseline" is the scenario itself and cannot be redefined; choose another name', "key"));
      if (!variantName.test(name)) return yield* Result.fail(problemAt(siteAt(site, name), `expected a lowercase variant name of letters, digits and '-', got "${name}"`, "key"));
      yield* retiredParameters(doc.parameters, siteAt(site, name, "parameters"));
      yield* checkClusterAutoscalerParameters(doc.parameters, siteAt(site, name, "parameters"));
      const plan: VariantPlan = { description: doc.description ?? "", parameters: parametersOf(doc.parameters) };
      if (changesWorld(doc)) plan.world = yield* variantWorldOf(base, doc, siteAt(site, name), source);
      out[name] = plan;
    }
    return out;
  });
}
