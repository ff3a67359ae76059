/** How long after each recorded replica change the twin ran that many pods. */
import { expect, test } from "vitest";
import { initialReplicasOf, scaleFollow } from "../../src/import/scale-follow.ts";

test("each ScaleWorkload: from the change until exactly that many of the owner's pods run; never before the next change is said", () => {
  const workloads = [{ at: "0s", manifest: { kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { replicas: 1 } } }, { at: "0s", manifest: { kind: "Service", metadata: { name: "web" } } }];
  const initial = initialReplicasOf(workloads);
  expect([...initial]).toEqual([["Deployment/shop/web", 1]]);
  const faults = [
    { type: "ScaleWorkload", at: "10s", namespace: "shop", name: "web", replicas: 3 },
    { type: "Delete", at: "15s", kind: "Job", namespace: "shop", name: "x" },
    { type: "ScaleWorkload", at: "20s", namespace: "shop", name: "web", replicas: 2 },
    { type: "ScaleWorkload", at: "30s", namespace: "shop", name: "web", replicas: 5 },
  ];
  const pods = [
    { name: "a", createdMs: 0, startMs: 4_000 },
    { name: "b", createdMs: 10_050, startMs: 13_000 },
    { name: "c", createdMs: 10_050, startMs: 16_000, endMs: 20_100 },
    { name: "d", createdMs: 30_050, startMs: 33_000 },
  ];
  const steps = scaleFollow(faults, initial, new Map([["Deployment/shop/web", pods]]), 60_000);
  expect(steps).toEqual([
    { owner: "Deployment shop/web", atMs: 10_000, from: 1, to: 3, reachedAfterMs: 6_000 },
    { owner: "Deployment shop/web", atMs: 20_000, from: 3, to: 2, reachedAfterMs: 100 },
    // only 3 of 5 ever run before the end
    { owner: "Deployment shop/web", atMs: 30_000, from: 2, to: 5, reachedAfterMs: undefined },
  ]);
});
