/** The order rule of plan.workloads, for all inputs: policy objects first at each time, file order otherwise. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { policyObjectsFirst } from "../../src/scenario/plan-order.ts";
import type { WorkloadPlan } from "../../src/sim/plan.ts";

/** A stand-in plan entry: only kind and atMs matter to the order; the name tells entries apart. */
function entry(i: number, policy: boolean, atMs: number): WorkloadPlan {
  const metadata = { name: `w${i}`, namespace: "default", uid: "", labels: {}, creationMs: 0 };
  return policy
    ? { kind: "PolicyObject", atMs, object: { kind: "LimitRange", metadata, spec: { limits: [] } } }
    : { kind: "Pod", atMs, object: { kind: "Pod", metadata, spec: { schedulerName: "s", containers: [] }, status: { phase: "Pending", ready: false } } };
}

const entries = fc
  .array(fc.record({ policy: fc.boolean(), atMs: fc.constantFrom(0, 1000, 60_000) }), { maxLength: 30 })
  .map((xs) => xs.map((x, i) => entry(i, x.policy, x.atMs)));

const name = (w: WorkloadPlan): string => w.object.metadata.name;

describe("policyObjectsFirst", () => {
  test.prop([entries])("is a permutation that keeps each time's positions", (ws) => {
    const out = policyObjectsFirst(ws);
    expect(out.map(name).sort()).toEqual(ws.map(name).sort());
    expect(out.map((w) => w.atMs)).toEqual(ws.map((w) => w.atMs));
  });

  test.prop([entries])("puts every policy object before every other object of its time", (ws) => {
    const out = policyObjectsFirst(ws);
    for (const [i, w] of out.entries()) {
      if (w.kind === "PolicyObject") expect(out.slice(0, i).filter((v) => v.atMs === w.atMs && v.kind !== "PolicyObject")).toEqual([]);
    }
  });

  test.prop([entries])("keeps file order among policy objects, and among the others", (ws) => {
    const out = policyObjectsFirst(ws);
    for (const policy of [true, false]) {
      const pick = (list: WorkloadPlan[]) => list.filter((w) => (w.kind === "PolicyObject") === policy).map((w) => `${w.atMs}:${name(w)}`);
      const byTime = (list: string[]) => [...list].sort((a, b) => Number(a.split(":")[0]) - Number(b.split(":")[0]));
      // Stable sort by time of each class gives the same sequence: within a time, file order.
      expect(byTime(pick(out))).toEqual(byTime(pick(ws)));
    }
  });

  test.prop([entries])("changes nothing when there is no policy object", (ws) => {
    const plain = ws.filter((w) => w.kind !== "PolicyObject");
    expect(policyObjectsFirst(plain)).toEqual(plain);
  });
});
