/** The run summary says why pods could not be scheduled, in upstream's words, and warns up front. */
import { describe, expect, test } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { runScenario } from "../../src/sim/run.ts";
import { unschedulableReasons } from "../../src/sim/observe/unschedulable-reasons.ts";
import { selectorWarnings } from "../../src/scenario/selector-warnings.ts";
import { smallPlan } from "./plan-fixture.ts";
import { clusterOf, makeNode, makePod } from "../policies/builders.ts";

describe("unschedulable reasons in the summary", () => {
  test("a workload selecting a label no node carries: every pod listed under upstream's message", () => {
    const plan = smallPlan({ nodes: 3, deployments: 2, replicas: 2, durationMs: 5 * 60_000, faults: [] });
    const w = plan.workloads[1]!;
    if (w.kind !== "Deployment") throw new Error("fixture changed");
    w.object.spec.template.spec.nodeSelector = { disktype: "ssd" };
    const { summary } = runScenario(plan, { seed: 1, variant: "baseline", sink: new MemorySink() });
    expect(summary.unschedulable.pods).toBe(2);
    expect(summary.unschedulable.reasons).toHaveLength(1);
    const [r] = summary.unschedulable.reasons;
    expect(r?.message).toBe("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    expect(r?.stillPending).toBe(2);
    expect(r?.examples.every((k) => k.startsWith("shop/svc-1-"))).toBe(true);
  });

  test("groups by each pod's last message, pods still pending first", () => {
    const state = clusterOf([makeNode().name("n").obj()], [makePod().name("a").obj(), makePod().name("b").node("n").obj(), makePod().name("c").obj()]);
    const last = new Map([["default/a", "m1"], ["default/b", "m2"], ["default/c", "m1"], ["default/gone", "m2"]]);
    expect(unschedulableReasons(last, state)).toEqual([
      { message: "m1", pods: 2, stillPending: 2, examples: ["default/a", "default/c"] },
      { message: "m2", pods: 2, stillPending: 0, examples: ["default/b", "default/gone"] },
    ]);
  });
});

describe("selector warnings", () => {
  test("warn when a workload's node selector matches no node, not when it matches a well-known label", () => {
    const plan = smallPlan({ nodes: 3, deployments: 3 });
    const [a, b, c] = plan.workloads;
    if (a?.kind !== "Deployment" || b?.kind !== "Deployment" || c?.kind !== "Deployment") throw new Error("fixture changed");
    a.object.spec.template.spec.nodeSelector = { "beta.kubernetes.io/os": "linux" };
    b.object.spec.template.spec.nodeSelector = { disktype: "ssd" };
    c.object.spec.template.spec.nodeSelector = { "kubernetes.io/hostname": "pool-2" };
    expect(selectorWarnings(plan.nodePools, plan.workloads)).toEqual([
      "Deployment shop/svc-1: its nodeSelector disktype=ssd matches no node of the cluster; its pods will stay Pending",
    ]);
  });
});
