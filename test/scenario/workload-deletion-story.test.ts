/**
 * The bundled workload-deletion scenario: a Deployment deleted in the foreground, another and a
 * bare ReplicaSet orphaned, beside one left alone; the numbers its header states.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { formatSummary } from "../../src/cli/format-summary.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { formatDurationMs } from "../../src/model/units.ts";
import { formatScenarioError, loadScenarioFile } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";

const loaded = loadScenarioFile(join(import.meta.dirname, "../../scenarios/workload-deletion.yaml"));
if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
const sink = new MemorySink();
const result = runScenario(loaded.plan, { seed: loaded.plan.seed, variant: "baseline", sink });
const records = sink.records;
const pods = (app: string) => [...result.state.pods.values()].filter((p) => p.metadata.labels.app === app && p.metadata.deletionMs === undefined);
const deletion = (target: string) => result.summary.deletions?.find((d) => d.target === target);
const fiveMin = 5 * 60_000;

describe("workload-deletion", () => {
  test("shop (Foreground): its pods, then its ReplicaSet, then the Deployment go, about 2 s after the delete; no pod is made meanwhile", () => {
    const shop = deletion("deployment/default/shop");
    expect(shop?.policy).toBe("Foreground");
    expect(formatDurationMs(shop?.removedMs ?? 0)).toBe("5m1s909ms");
    const lastPod = records.filter((x) => x.kind === "PodRemoved" && x.subject.startsWith("pod/default/shop-")).at(-1)?.atMs ?? Infinity;
    const setGone = records.find((x) => x.kind === "ReplicaSetRemoved" && x.subject.startsWith("replicaset/default/shop-"))?.atMs ?? -1;
    expect(lastPod).toBeLessThanOrEqual(setGone);
    expect(setGone).toBeLessThanOrEqual(shop?.removedMs ?? -1);
    expect(records.filter((x) => x.kind === "PodCreated" && x.subject.startsWith("pod/default/shop-") && x.atMs >= fiveMin)).toEqual([]);
    expect(pods("shop")).toEqual([]);
  });

  test("legacy (Orphan): its ReplicaSet is orphaned, keeps 3 ready pods and replaces the one killed at 10m", () => {
    const legacy = deletion("deployment/default/legacy");
    expect(legacy?.policy).toBe("Orphan");
    expect((legacy?.removedMs ?? Infinity) - fiveMin).toBeLessThan(1000);
    expect(legacy?.orphaned).toHaveLength(1);
    const set = result.state.replicaSets.get((legacy?.orphaned?.[0] ?? "").replace(/^replicaset\//, ""));
    expect(set?.metadata.ownerReferences).toBeUndefined();
    expect(set?.status.readyReplicas).toBe(3);
    expect(pods("legacy").filter((p) => p.status.ready)).toHaveLength(3);
    expect(records.filter((x) => x.kind === "PodCreated" && x.subject.startsWith("pod/default/legacy-") && x.atMs > 10 * 60_000)).toHaveLength(1);
  });

  test("cache (Orphan, a bare ReplicaSet): its 3 pods keep running with no owner; api is untouched", () => {
    const cache = deletion("replicaset/default/cache");
    expect(cache?.policy).toBe("Orphan");
    expect(cache?.orphaned).toEqual(pods("cache").map((p) => `pod/default/${p.metadata.name}`).sort());
    expect(cache?.orphaned).toHaveLength(3);
    for (const p of pods("cache")) {
      expect(p.status.phase).toBe("Running");
      expect(p.metadata.ownerReferences).toBeUndefined();
    }
    expect(pods("api").filter((p) => p.status.ready)).toHaveLength(3);
    expect(result.summary.expectations.map((e) => [e.name, e.passed])).toEqual([["api untouched", true], ["api ready at the end", true], ["nothing pending long", true]]);
  });

  test("the printed summary has the Deletions table", () => {
    const text = formatSummary(result.summary, { wallMs: 0 });
    expect(text).toContain("deployment/default/shop          Foreground at 5m · removed at 5m1s909ms");
    expect(text).toContain("replicaset/default/cache         Orphan at 5m · removed at 5m142ms · orphaned 3 (pod/default/cache-");
  });
});
