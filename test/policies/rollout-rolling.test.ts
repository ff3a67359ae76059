/** RollingUpdate arithmetic as upstream deployment_util.go and rolling.go compute it. */
import { describe, expect, test } from "vitest";
import type { Deployment, ReplicaSet } from "../../src/model/objects.ts";
import { scaledValue } from "../../src/policies/controllers/int-or-percent.ts";
import { fenceposts, maxUnavailable, newReplicaSetReplicas, rollingStep } from "../../src/policies/controllers/rollout-rolling.ts";

function deployment(replicas: number, maxSurge: number | string, maxUnavailableValue: number | string, type: "RollingUpdate" | "Recreate" = "RollingUpdate"): Deployment {
  return {
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", uid: "d", labels: {}, creationMs: 0 },
    spec: { replicas, selector: { matchLabels: {} }, template: { labels: {}, spec: { containers: [] } } as unknown as Deployment["spec"]["template"], strategy: { type, maxSurge, maxUnavailable: maxUnavailableValue } },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
}

function rs(name: string, creationMs: number, replicas: number, available: number): ReplicaSet {
  return {
    kind: "ReplicaSet",
    metadata: { name, namespace: "default", uid: name, labels: {}, creationMs },
    spec: { replicas, selector: { matchLabels: {} }, template: { labels: {}, spec: { containers: [] } } as unknown as ReplicaSet["spec"]["template"] },
    status: { replicas, readyReplicas: available, availableReplicas: available },
  };
}

describe("int-or-percent (intstr.GetScaledValueFromIntOrPercent)", () => {
  test("percentages round up or down as asked; counts are themselves", () => {
    expect(scaledValue("25%", 10, true)).toBe(3);
    expect(scaledValue("25%", 10, false)).toBe(2);
    expect(scaledValue("25%", 1, false)).toBe(0);
    expect(scaledValue("100%", 7, false)).toBe(7);
    expect(scaledValue(4, 10, false)).toBe(4);
  });
});

describe("fenceposts and MaxUnavailable", () => {
  test("surge rounds up, unavailable down; both 0 → unavailable 1; capped by replicas; Recreate 0", () => {
    expect(fenceposts(deployment(10, "25%", "25%"))).toEqual({ surge: 3, unavailable: 2 });
    expect(fenceposts(deployment(3, "10%", "10%"))).toEqual({ surge: 1, unavailable: 0 });
    expect(fenceposts(deployment(1, "0%", "20%"))).toEqual({ surge: 0, unavailable: 1 });
    expect(maxUnavailable(deployment(2, 0, 5))).toBe(2);
    expect(maxUnavailable(deployment(0, 1, 1))).toBe(0);
    expect(maxUnavailable(deployment(4, 1, 1, "Recreate"))).toBe(0);
  });
});

describe("NewRSNewReplicas", () => {
  test("grows within replicas + maxSurge, never past replicas", () => {
    const d = deployment(10, 3, 2);
    expect(newReplicaSetReplicas(d, [rs("old", 0, 10, 10)], 0)).toBe(3);
    expect(newReplicaSetReplicas(d, [rs("old", 0, 10, 10), rs("new", 1, 3, 0)], 3)).toBe(3);
    expect(newReplicaSetReplicas(d, [rs("old", 0, 2, 2), rs("new", 1, 8, 8)], 8)).toBe(10);
    expect(newReplicaSetReplicas(deployment(10, 3, 2, "Recreate"), [rs("old", 0, 10, 10)], 0)).toBe(10);
  });
});

describe("rolling step (rolling.go)", () => {
  const d = deployment(10, 3, 2);
  test("case 1 of upstream's comment: new pods crash-loop; an old pod becomes unavailable; nothing more is scaled down", () => {
    // newRS at 5 (none available), old at 8; allPods 13, minAvailable 8, newUnavailable 5 → maxScaledDown 0.
    const step = rollingStep(d, rs("new", 1, 5, 0), [rs("old", 0, 8, 7)]);
    expect([...step]).toEqual([]);
  });
  test("scale-up first: the new ReplicaSet grows to the surge before anything is scaled down", () => {
    expect([...rollingStep(d, rs("new", 1, 0, 0), [rs("old", 0, 10, 10)])]).toEqual([["default/new", 3]]);
  });
  test("then old replicas go down while more than minAvailable are available", () => {
    // 10 old available + 3 new unavailable: maxScaledDown = 13 - 8 - 3 = 2; available 10 - 8 = 2 → old 8.
    expect([...rollingStep(d, rs("new", 1, 3, 0), [rs("old", 0, 10, 10)])]).toEqual([["default/old", 8]]);
  });
  test("unhealthy old replicas are cleaned up first, oldest ReplicaSet first, in one write per ReplicaSet", () => {
    // old-a (older) 4 of 6 available, old-b 4 of 4; new 3 of 3. allPods 13, minAvailable 8, maxScaledDown 5.
    // cleanup: old-a 6 → 4 (2 unhealthy). Then available 4+4+3 = 11 → 3 more: old-a 4 → 1.
    const step = rollingStep(d, rs("new", 2, 3, 3), [rs("old-b", 1, 4, 4), rs("old-a", 0, 6, 4)]);
    expect([...step].sort()).toEqual([["default/old-a", 1]]);
  });
  test("a new ReplicaSet above the Deployment's replicas is scaled down to them", () => {
    expect([...rollingStep(d, rs("new", 1, 12, 12), [])]).toEqual([["default/new", 10]]);
  });
});
