/**
 * Shadow mode end to end: the served twin plays a logged run as if it were a live cluster; the
 * shadow session attaches through the adapter, judges every binding the "cluster" makes with the
 * twin's scheduler, and records each verdict in the event log.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runShadow } from "../../src/cli/live-shadow-command.ts";
import { connectKubeClient } from "../../src/live/kube-client.ts";
import { LiveCluster } from "../../src/live/live-cluster.ts";
import { shadowKinds, ShadowView } from "../../src/live/shadow-scheduler.ts";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import type { Node, Pod } from "../../src/model/objects.ts";
import { eventually, serveQuickstart, type ServedTwin } from "./served-twin.ts";

let twin: ServedTwin;
beforeAll(async () => {
  twin = await serveQuickstart("19m");
}, 300_000);
afterAll(() => twin?.close());

describe("kubetwin shadow's policy", () => {
  test("a scenario variant's scheduler profile, or exit 2 for a variant the scenario does not define", async () => {
    const { shadowPolicy } = await import("../../src/cli/live-shadow-command.ts");
    expect(shadowPolicy("scenarios/binpack-vs-spread.yaml", "binpack").variant).toBe("binpack-vs-spread/binpack");
    expect(() => shadowPolicy("scenarios/binpack-vs-spread.yaml", "nope")).toThrow(/unknown variant "nope"/);
    expect(() => shadowPolicy(undefined, "binpack")).toThrow(/--variant needs --scenario/);
  });
});

describe("kubetwin shadow against the served twin", () => {
  test("every binding the cluster makes is judged and recorded; the cluster's nodes are feasible for the twin; only GETs are sent", async () => {
    const runLog = SqliteLog.open(join(twin.dir, "runs.db"), { create: false });
    const runId = runLog.latestRunId()!;
    const bindings = [...runLog.records(runId, {})].filter((r) => r.kind === "PodBound" && r.atMs > 19 * 60_000 && r.atMs <= 45 * 60_000).length;
    runLog.close();
    expect(bindings).toBeGreaterThan(0);

    const live = new LiveCluster(connectKubeClient({ file: twin.kubeconfig }), { kinds: shadowKinds });
    await live.start();
    const shadowLog = SqliteLog.open(join(twin.dir, "shadow.db"), { create: true });
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const lines: string[] = [];
    const running = runShadow(live, "twin", shadowLog, until, (l) => lines.push(l));
    twin.clock.advanceTo(45 * 60_000);
    await eventually("every binding judged", () => lines.length >= bindings);
    stop();
    const { runId: shadowRun, session } = await running;
    await live.stop();
    try {
      const agreement = session.agreement();
      expect(agreement.decisions).toBe(bindings);
      expect(agreement.realFeasible).toBe(bindings);
      // The twin's pick has its best score: the headline (same node or a tie) is the bindings to a node of rank 1.
      expect(agreement.agreed).toBe(session.verdicts.filter((v) => v.realRank === 1).length);
      expect(agreement.agreed).toBe(agreement.sameNode + agreement.ties);
      const rows = shadowLog.shadowDecisions(shadowRun);
      expect(rows.map((r) => r.subject)).toEqual(session.verdicts.map((v) => v.pod));
      expect(rows.filter((r) => r.agreed).length).toBe(agreement.agreed);
      expect(rows.filter((r) => JSON.parse(r.detail).sameNode).length).toBe(agreement.sameNode);
      expect(rows.every((r) => r.kind === "schedule" && r.feasible)).toBe(true);
      const run = shadowLog.run(shadowRun)!;
      expect(run.status).toBe("shadow");
      expect(JSON.parse(run.summary ?? "{}").scheduling).toEqual(agreement);
      expect(twin.server.requests.every((r) => r.method === "GET")).toBe(true);
      // The view kept change by change equals one built afresh from what the adapter holds now (a resource summed back to 0 counts as absent).
      const fresh = new ShadowView();
      for (const n of live.objects.get("Node")!.values()) fresh.putNode(n as Node);
      for (const [k, p] of live.objects.get("Pod")!) fresh.putPod(k, p as Pod);
      const summary = (v: ShadowView) => ({ pods: [...v.state.pods.keys()].sort(), nodes: [...v.state.nodes.keys()].sort(), requested: Object.fromEntries([...v.state.requestedByNode].sort().map(([n, r]) => [n, Object.fromEntries(Object.entries(r).filter(([, q]) => q !== 0))])) });
      expect(summary(session.view)).toEqual(summary(fresh));
      console.log(`shadow agreement on the quickstart replacements: ${agreement.agreed}/${agreement.decisions} (same node ${agreement.sameNode}, ties ${agreement.ties}), ${agreement.sameZone} same zone`);
    } finally {
      shadowLog.close();
    }
  }, 60_000);
});
