/** A SimKube trace → scenario: what becomes a workload, a fault, a container behaviour, a warning; the default cluster. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { defaultNodeShape, sizedCluster } from "../../src/import/import-cluster.ts";
import { importSimkube } from "../../src/import/simkube-import.ts";
import { loadScenarioText } from "../../src/scenario/load.ts";

const fixtures = join(import.meta.dirname, "../fixtures/simkube");

function imported(file: string, nodes?: number) {
  const r = importSimkube(readFileSync(join(fixtures, file)), { fileName: file, tailMs: 120_000, cluster: (b) => sizedCluster(b.peak, defaultNodeShape, nodes) });
  if (!r.ok) throw new Error(JSON.stringify(r.problem));
  const doc = parse(r.value.text) as { spec: { duration: string; workloads: { at: string; manifest: { kind: string; metadata: { name: string } } }[]; faults?: Record<string, unknown>[]; containerBehavior?: Record<string, unknown>[]; cluster: { nodePools: { count: number }[] } } };
  return { ...r.value, doc };
}

describe("dsb-scaling", () => {
  const r = imported("dsb-scaling.sktrace");
  const t0 = r.trace.events[0]?.tsS ?? 0;

  test("27 Deployments created at time zero; time zero is the first event", () => {
    expect(r.originS).toBe(t0);
    expect(r.doc.spec.workloads.length).toBe(27);
    expect(new Set(r.doc.spec.workloads.map((w) => w.at))).toEqual(new Set(["0s"]));
    expect(new Set(r.doc.spec.workloads.map((w) => w.manifest.kind))).toEqual(new Set(["Deployment"]));
  });

  test("nginx-thrift's replicas 1 → 2 → 4 → 8 → 10 are ScaleWorkload faults at the trace's times", () => {
    const scales = (r.doc.spec.faults ?? []).filter((f) => f.name === "nginx-thrift");
    const expected = r.trace.events.flatMap((e) => e.applied.filter((o) => (o.metadata as { name: string }).name === "nginx-thrift").map((o) => ({ atS: e.tsS - t0, replicas: (o.spec as { replicas: number }).replicas })));
    expect(expected.map((e) => e.replicas)).toEqual([1, 2, 4, 8, 10]);
    expect(scales).toEqual(expected.slice(1).map((e) => ({ type: "ScaleWorkload", at: formatS(e.atS), namespace: "dsb", name: "nginx-thrift", replicas: e.replicas })));
  });

  test("every replica change of the trace is one fault; nothing is left unexpressed", () => {
    expect(r.doc.spec.faults?.length).toBe(19);
    expect(r.built.warnings).toEqual([]);
  });

  test("the default cluster fits the peak demand (52 pods of 1 cpu, 1Gi) with 25% headroom on 4-cpu nodes", () => {
    expect(r.built.peak).toEqual({ cpuMilli: 52_000, memoryBytes: 52 * 2 ** 30, pods: 52 });
    expect(r.doc.spec.cluster.nodePools[0]?.count).toBe(Math.ceil((52 * 1.25) / 4));
    expect(imported("dsb-scaling.sktrace", 5).doc.spec.cluster.nodePools[0]?.count).toBe(5);
  });

  test("the duration covers the trace and the tail", () => {
    expect(r.doc.spec.duration).toBe(formatS(1134 + 120));
  });
});

describe("cronjob", () => {
  const r = imported("cronjob.sktrace");

  test("time zero moves to the start of the first event's minute, so the minute schedule keeps its phase", () => {
    const first = r.trace.events[0]?.tsS ?? 0;
    expect(r.originS).toBe(first - (first % 60));
    expect(r.doc.spec.workloads.map((w) => [w.at, w.manifest.kind])).toEqual([[formatS(first % 60), "CronJob"]]);
  });

  test("its deletion is a Delete fault; its pods finish after the 30 s the trace recorded", () => {
    expect(r.doc.spec.faults).toEqual([{ type: "Delete", at: formatS((r.trace.events[2]?.tsS ?? 0) - r.originS), kind: "CronJob", namespace: "default", name: "hello-simkube" }]);
    expect(r.doc.spec.containerBehavior).toEqual([{ name: "finish as in the trace: CronJob default/hello-simkube", match: { namespace: "default", selector: { "kubetwin.io/trace-owner": "CronJob.hello-simkube" }, image: "busybox" }, exit: { after: "30s", exitCode: 0 } }]);
    const cron = r.doc.spec.workloads[0]?.manifest as unknown as { spec: { jobTemplate: { spec: { template: { metadata: { labels: Record<string, string> } } } } } };
    expect(cron.spec.jobTemplate.spec.template.metadata.labels).toEqual({ "kubetwin.io/trace-owner": "CronJob.hello-simkube" });
  });
});

test("bare pods: one workload each; each finished pod labelled and given its own run time; the one still running none", () => {
  const r = imported("bare-pods.sktrace");
  expect(r.doc.spec.workloads.map((w) => w.manifest.kind)).toEqual(["Pod", "Pod", "Pod", "Pod"]);
  const finished = r.trace.podLifecycles.flatMap((o) => o.bySpecHash[0]?.lifecycles[0]?.kind === "Finished" ? [o] : []);
  expect(finished.length).toBe(3);
  const rules = (r.doc.spec.containerBehavior ?? []) as { match: { selector: Record<string, string> }; exit: { after: string } }[];
  expect(rules.map((b) => [b.match.selector["kubetwin.io/trace-owner"], b.exit.after]).sort()).toEqual(
    finished.map((o) => { const l = o.bySpecHash[0]?.lifecycles[0] as { startS: number; endS: number }; return [`Pod.${o.owner.split("/")[1]}`, formatS(l.endS - l.startS)]; }).sort(),
  );
  const labelled = r.doc.spec.workloads.filter((w) => (w.manifest as unknown as { metadata: { labels?: Record<string, string> } }).metadata.labels?.["kubetwin.io/trace-owner"] !== undefined);
  expect(labelled.length).toBe(3);
  // the index names 16 pods, the events apply 4: the other 12 are said to be left out
  expect(r.built.notes).toContainEqual(expect.stringMatching(/^the index names 12 objects no event applies \(Pod testing\/bare-pod-\d+, /));
});

test("the test fixture: a deletion of an object the trace never created is a warning naming it and where", () => {
  const r = imported("trace.testfixture.json");
  expect(r.built.warnings).toEqual(["0s Deployment default/nginx-deployment-2 (events[0].deleted_objs[0]): deleted, but the recording never created it: not replayed"]);
  expect(r.text).toContain("#   0s Deployment default/nginx-deployment-2");
});

test.each(["bare-pods.sktrace", "cronjob.sktrace", "dsb-scaling.sktrace", "trace.testfixture.json"])("%s: the scenario loads as kubetwin run loads it", (file) => {
  const loaded = loadScenarioText(imported(file).text, file, fixtures);
  expect(loaded.ok ? "ok" : loaded.error).toBe("ok");
});

function formatS(s: number): string {
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return m === 0 ? `${rest}s` : rest === 0 ? `${m}m` : `${m}m${rest}s`;
}
