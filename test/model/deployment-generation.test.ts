/** A Deployment's generation moves with its spec (the apps registry's PrepareForUpdate), not with its status. */
import { describe, expect, test } from "vitest";
import { evolve } from "../../src/model/evolve.ts";
import { emptyState } from "../../src/model/state.ts";
import { deployment } from "../sim/plan-fixture.ts";

describe("Deployment generation", () => {
  test("scale, template and pause changes bump it; a scale to the same count and a status write do not", () => {
    const s = emptyState();
    const d = deployment("shop", "web", 3, 100, 1 << 20);
    d.metadata.generation = 1;
    evolve(s, { kind: "DeploymentCreated", deployment: d }, 0);
    const generation = () => s.deployments.get("shop/web")?.metadata.generation;
    evolve(s, { kind: "DeploymentScaled", key: "shop/web", replicas: 5 }, 1);
    expect(generation()).toBe(2);
    evolve(s, { kind: "DeploymentScaled", key: "shop/web", replicas: 5 }, 2);
    expect(generation()).toBe(2);
    evolve(s, { kind: "DeploymentTemplateChanged", key: "shop/web", template: structuredClone(d.spec.template) }, 3);
    expect(generation()).toBe(3);
    evolve(s, { kind: "DeploymentPauseChanged", key: "shop/web", paused: true }, 4);
    expect(generation()).toBe(4);
    evolve(s, { kind: "DeploymentStatusChanged", key: "shop/web", status: { replicas: 5, readyReplicas: 5, availableReplicas: 5, observedGeneration: 4 } }, 5);
    expect(generation()).toBe(4);
    expect(s.deployments.get("shop/web")?.status.observedGeneration).toBe(4);
  });
});
