/**
 * The bundled daemonset-rollout scenario: log-agent on 100 nodes rolls out a new image with
 * maxUnavailable 10% while one node crashes; the numbers its header comment states.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { formatScenarioError, loadScenarioFile } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";

const min = 60_000;
const loaded = loadScenarioFile(join(import.meta.dirname, "../../scenarios/daemonset-rollout.yaml"));
if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
const sink = new MemorySink();
const result = runScenario(loaded.plan, { seed: loaded.plan.seed, variant: "baseline", sink });
const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
const isAgent = (key: string) => key.startsWith("kube-system/log-agent-");

/** Rollout deletions (the controller's "DaemonSet" deletes after 5m) grouped into waves 1 s apart. */
function waves(): { atMs: number; pods: number }[] {
  const out: { atMs: number; pods: number }[] = [];
  for (const e of log) {
    if (e.event.kind !== "PodDeleting" || e.event.reason !== "DaemonSet" || e.atMs < 5 * min) continue;
    const last = out.at(-1);
    if (last !== undefined && e.atMs - last.atMs < 1000) last.pods++;
    else out.push({ atMs: e.atMs, pods: 1 });
  }
  return out;
}

/** Most nodes at once that should run an agent and have no ready one (desired − ready), after 5m. */
function peakUnavailable(): number {
  const ready = new Set<string>();
  let desired = 0;
  let peak = 0;
  for (const e of log) {
    const ev = e.event;
    if (ev.kind === "ObjectStatusChanged" && ev.objectKind === "DaemonSet") desired = (ev.status as { desiredNumberScheduled: number }).desiredNumberScheduled;
    if (ev.kind === "PodReadyChanged" && isAgent(ev.key)) {
      if (ev.ready) ready.add(ev.key);
      else ready.delete(ev.key);
    }
    if ((ev.kind === "PodDeleting" || ev.kind === "PodRemoved") && isAgent(ev.key)) ready.delete(ev.key);
    if (e.atMs >= 5 * min) peak = Math.max(peak, desired - ready.size);
  }
  return peak;
}

describe("daemonset-rollout: log-agent on 100 nodes, maxUnavailable 10%, general-90 crashes at 6m", () => {
  test("every expectation holds", () => {
    for (const e of result.summary.expectations) expect(e.passed, `${e.name}: ${e.detail}`).toBe(true);
  });
  test("10 old pods go at once, then one each time a new pod is ready: never more than 10 nodes without a ready agent", () => {
    const w = waves();
    expect(w[0]).toEqual({ atMs: expect.any(Number), pods: 10 });
    for (const wave of w) expect(wave.pods).toBeLessThanOrEqual(10);
    expect(w.reduce((n, x) => n + x.pods, 0)).toBe(100);
    expect(peakUnavailable()).toBe(10);
  });
  test("the rollout takes 1m56s (5m to 6m56s); general-90's agent is never evicted and stops counting once its node is unreachable", () => {
    const agentReady = log.filter((e) => e.event.kind === "PodReadyChanged" && e.event.ready && isAgent(e.event.key)).map((e) => e.atMs);
    expect(Math.max(...agentReady) - 5 * min).toBe(116_092);
    expect(log.filter((e) => e.event.kind === "PodDeleting" && e.event.reason === "DeletionByTaintManager" && isAgent(e.event.key))).toEqual([]);
    expect(result.summary.workloads.find((x) => x.key === "kube-system/log-agent")).toMatchObject({ desired: 99, ready: 99, minReadyRatio: 0.9 });
    const ds = result.state.objects.get("DaemonSet")?.get("kube-system/log-agent") as { status: Record<string, number> } | undefined;
    expect(ds?.status).toEqual({
      desiredNumberScheduled: 99, currentNumberScheduled: 99, numberMisscheduled: 1, numberReady: 99, updatedNumberScheduled: 99, numberAvailable: 99, numberUnavailable: 0, observedGeneration: 2,
    });
  });
});
