import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyVariant } from "../../src/sim/plan.ts";
import type { ScenarioPlan, WorkloadPlan } from "../../src/sim/plan.ts";
import { formatScenarioError, loadScenarioFile } from "../../src/scenario/load.ts";

const scenariosDir = join(import.meta.dirname, "../../scenarios");
const bundled = readdirSync(scenariosDir).filter((f) => f.endsWith(".yaml")).sort();

function load(name: string): ScenarioPlan {
  const result = loadScenarioFile(join(scenariosDir, name));
  if (!result.ok) throw new Error(formatScenarioError(result.error));
  return result.plan;
}

function deployment(plan: ScenarioPlan, key: string): Extract<WorkloadPlan, { kind: "Deployment" }> {
  const found = plan.workloads.find((w) => w.kind === "Deployment" && `${w.object.metadata.namespace}/${w.object.metadata.name}` === key);
  if (!found || found.kind !== "Deployment") throw new Error(`no Deployment ${key}`);
  return found;
}

describe("bundled scenarios", () => {
  it("are the five stories the docs describe", () => {
    expect(bundled).toEqual(["binpack-vs-spread.yaml", "control-plane-partition.yaml", "quickstart.yaml", "scale-out.yaml", "zone-outage.yaml"]);
  });

  it.each(bundled)("%s decodes without error, with faults and expectations inside the run", (name) => {
    const plan = load(name);
    expect(plan.name).toBe(name.replace(/\.yaml$/, ""));
    expect(plan.workloads.length).toBeGreaterThan(0);
    expect(plan.expectations.length).toBeGreaterThan(0);
    for (const f of plan.faults) expect(f.atMs).toBeLessThan(plan.durationMs);
    expect(plan.sourceHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it("loads the same plan twice (deterministic, same source hash)", () => {
    for (const name of bundled) expect(load(name)).toEqual(load(name));
  });
});

describe("quickstart", () => {
  const plan = load("quickstart.yaml");

  it("runs Online Boutique's 12 Deployments on 6 nodes in 3 zones for an hour", () => {
    expect(plan.durationMs).toBe(3_600_000);
    expect(plan.seed).toBe(42);
    expect(plan.workloads.map((w) => w.kind)).toEqual(Array(12).fill("Deployment"));
    expect(plan.nodePools).toEqual([
      {
        name: "general",
        count: 6,
        zones: ["zone-a", "zone-b", "zone-c"],
        allocatable: { cpu: 1930, memory: 6 * 2 ** 30, pods: 110 },
        labels: { "node.kubernetes.io/instance-type": "e2-standard-2" },
        taints: [],
      },
    ]);
    expect(plan.namespaces).toEqual(["default"]);
  });

  it("raises replicas from the scenario and converts quantities from the manifests", () => {
    const frontend = deployment(plan, "default/frontend");
    expect(frontend.object.spec.replicas).toBe(3);
    expect(frontend.object.spec.strategy).toEqual({ type: "RollingUpdate", maxSurge: "25%", maxUnavailable: "25%" });
    const [server] = frontend.object.spec.template.spec.containers;
    expect(server?.requests).toEqual({ cpu: 100, memory: 64 * 2 ** 20 });
    expect(server?.limits).toEqual({ cpu: 200, memory: 128 * 2 ** 20 });
    expect(server?.ports).toEqual([{ containerPort: 8080 }]);
    expect(deployment(plan, "default/redis-cart").object.spec.replicas).toBe(1);
    expect(deployment(plan, "default/loadgenerator").atMs).toBe(60_000);
  });

  it("crashes general-1 at 20m and brings it back at 40m; expectations name what they check", () => {
    expect(plan.faults.map((f) => [f.kind, f.atMs])).toEqual([["NodeCrash", 1_200_000], ["NodeRecover", 2_400_000]]);
    expect(plan.faults[0]).toMatchObject({ target: { pool: "general", index: 1 } });
    expect(plan.expectations.map((e) => e.kind)).toEqual(["MaxPending", "Availability", "Converged"]);
    expect(plan.expectations[1]).toMatchObject({ workload: "default/frontend", minRatio: { num: 30, den: 100 }, afterMs: 300_000 });
  });

  it("warns about each kind it does not model, naming kind, object and file", () => {
    expect(plan.warnings).toHaveLength(11);
    expect(plan.warnings[0]).toBe(
      `${join(scenariosDir, "manifests/online-boutique/frontend.yaml")}: not modelled yet, ignored: Service frontend, Service frontend-external, ServiceAccount frontend`,
    );
    expect(plan.warnings.join("\n")).toContain("Service redis-cart");
  });
});

describe("the other stories", () => {
  it("zone-outage: 19 hotel-reservation Deployments and their 6 claims, zone-b crashes and recovers", () => {
    const plan = load("zone-outage.yaml");
    expect(plan.workloads.filter((w) => w.kind === "Deployment")).toHaveLength(19);
    expect(plan.faults.map((f) => ("target" in f ? f.target : undefined))).toEqual([{ zone: "zone-b" }, { zone: "zone-b" }]);
    // The claims are modelled now (no warning); created at 0s, they come before the Deployments.
    expect(plan.warnings.filter((w) => w.includes("PersistentVolumeClaim"))).toEqual([]);
    expect(plan.workloads.slice(0, 6).map((w) => `${w.object.kind} ${w.object.metadata.name}`)).toEqual(
      ["geo-pvc", "profile-pvc", "rate-pvc", "recommendation-pvc", "reservation-pvc", "user-pvc"].map((n) => `PersistentVolumeClaim ${n}`),
    );
    expect(plan.workloads[0]?.object).toEqual({
      kind: "PersistentVolumeClaim",
      metadata: { name: "geo-pvc", namespace: "default", uid: "", labels: {}, creationMs: 0, generation: 1 },
      spec: { storageClassName: "geo-storage", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: 2 ** 30 } } },
      status: { phase: "Pending" },
    });
    const mongo = deployment(plan, "default/mongodb-geo");
    expect(mongo.object.spec.strategy.type).toBe("Recreate");
    expect(mongo.object.spec.template.spec.volumes).toEqual([{ name: "geo", persistentVolumeClaim: { claimName: "geo-pvc" } }]);
  });

  it("binpack-vs-spread: the binpack variant changes only the scoring strategy", () => {
    const plan = load("binpack-vs-spread.yaml");
    expect(plan.parameters.scheduler.scoringStrategy).toBe("LeastAllocated");
    const binpack = applyVariant(plan, "binpack");
    expect(binpack.parameters).toEqual({ ...plan.parameters, scheduler: { ...plan.parameters.scheduler, scoringStrategy: "MostAllocated" } });
    expect(binpack.workloads).toBe(plan.workloads);
    // A container with limits but no requests gets requests = limits, as the API server defaults it.
    const worker = deployment(plan, "shop/worker").object.spec.template.spec.containers[0];
    expect(worker?.requests).toEqual({ cpu: 400, memory: 512 * 2 ** 20 });
    expect(plan.faults[0]).toEqual({ kind: "PodKill", atMs: 600_000, namespace: "shop", selector: { app: "web" }, count: 3, label: "kill 3 pods app=web in shop" });
  });

  it("scale-out: web goes to 40 replicas at 10m and back to 4 at 30m", () => {
    const plan = load("scale-out.yaml");
    expect(plan.faults.map((f) => (f.kind === "ScaleWorkload" ? [f.name, f.replicas, f.atMs] : []))).toEqual([["web", 40, 600_000], ["web", 4, 1_800_000]]);
  });
});
