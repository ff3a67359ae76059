/**
 * Probes from the pod spec, through a tiny scenario (codec → plan → kubelet → log): a readiness
 * probe's timing places Ready on its ticks, a startup probe kills an app that never answers, a
 * liveness failure kills and restarts the container per restartPolicy (exit 137, CrashLoopBackOff),
 * and a startup probe shields a slow starter from its liveness probe.
 */
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../../src/model/cluster-event.ts";
import type { Pod } from "../../../src/model/objects.ts";
import { MemorySink } from "../../../src/log/memory-sink.ts";
import { formatScenarioError, loadScenarioText } from "../../../src/scenario/load.ts";
import { runScenario } from "../../../src/sim/run.ts";

function pod(name: string, probes: string, restartPolicy = "Always"): string {
  return `    - manifest:
        apiVersion: v1
        kind: Pod
        metadata: {name: ${name}, labels: {app: ${name}}}
        spec:
          restartPolicy: ${restartPolicy}
          containers:
            - name: main
              image: example/${name}:1
              resources: {requests: {cpu: 100m}}
${probes}`;
}

const scenario = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: probes}
spec:
  duration: 10m
  seed: 1
  cluster:
    nodePools:
      - {name: pool, count: 1, zones: [zone-a], allocatable: {cpu: "4", memory: 16Gi}}
  workloads:
${pod("timed", `              readinessProbe: {httpGet: {path: /ready, port: 8080}, initialDelaySeconds: 15, periodSeconds: 4}\n`)}
${pod("hung", `              startupProbe: {exec: {command: [true]}, periodSeconds: 5, failureThreshold: 4}\n`, "Never")}
${pod("hung-short", `              startupProbe: {exec: {command: [true]}, periodSeconds: 5, failureThreshold: 4, terminationGracePeriodSeconds: 10}\n`, "Never")}
${pod("deadlock", `              livenessProbe: {tcpSocket: {port: 8080}}\n              readinessProbe: {tcpSocket: {port: 8080}}\n`)}
${pod("slow", `              startupProbe: {tcpSocket: {port: 8080}, failureThreshold: 10}\n              livenessProbe: {tcpSocket: {port: 8080}}\n`)}
${pod("slow-unguarded", `              livenessProbe: {tcpSocket: {port: 8080}}\n`, "Never")}
  containerBehavior:
    - {match: {selector: {app: timed}}, readyAfter: 3s}
    - {match: {selector: {app: hung}}, readyAfter: never, stopAfter: 1m}
    - {match: {selector: {app: hung-short}}, readyAfter: never, stopAfter: 1m}
    - {match: {selector: {app: deadlock}}, readyAfter: 1s, livenessFailure: {after: 2m}, preStop: 3s, stopAfter: 2s}
    - {match: {selector: {app: slow}}, readyAfter: 45s}
    - {match: {selector: {app: slow-unguarded}}, readyAfter: 45s, stopAfter: 0s}
`;

const loaded = loadScenarioText(scenario, "probes.yaml", "/");
if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
const sink = new MemorySink();
const result = runScenario(loaded.plan, { seed: 1, variant: "baseline", sink });
const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
const of = (name: string) => log.filter((e) => "key" in e.event && e.event.key === `default/${name}`);
/** Times since the pod's first committed PodRunning. */
function since(name: string, kind: ClusterEvent["kind"]) {
  const mine = of(name);
  const runningMs = mine.find((e) => e.event.kind === "PodRunning")!.atMs;
  return mine.filter((e) => e.event.kind === kind).map((e) => ({ ms: e.atMs - runningMs, event: e.event }));
}

describe("probes from the pod spec", () => {
  test("the codec keeps the probes' timing with upstream's defaults", () => {
    const timed = loaded.plan.workloads.find((w) => w.object.metadata.name === "timed")!.object as Pod;
    expect(timed.spec.containers[0]?.readinessProbe).toEqual({ initialDelaySeconds: 15, periodSeconds: 4, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
  });

  test("readiness: the app answers at 3 s, but the first probe is at 16 s (initialDelay 15, period 4)", () => {
    expect(since("timed", "PodReadyChanged").map((e) => e.ms)).toEqual([16_001]);
  });

  test("startup: an app that never answers is killed at the 4th failed probe (15 s); it ignores SIGTERM, so SIGKILL 30 s later (the grace): exit 137, and under Never the pod fails", () => {
    const exits = since("hung", "ContainerExited");
    expect(exits.map((e) => [e.ms, e.event])).toEqual([[45_001, { kind: "ContainerExited", key: "default/hung", exitCode: 137, phase: "Failed", backOffMs: 0, cause: "StartupProbe" }]]);
    expect(since("hung", "PodReadyChanged")).toEqual([]);
    expect(result.state.pods.get("default/hung")?.status).toMatchObject({ phase: "Failed", lastExitCode: 137, lastTerminationReason: "Error" });
  });

  test("the probe's own terminationGracePeriodSeconds (10 s) replaces the pod's for the kill it orders", () => {
    expect(since("hung-short", "ContainerExited").map((e) => [e.ms, (e.event as { exitCode: number }).exitCode])).toEqual([[25_001, 137]]);
  });

  test("liveness: failing from 2 m, killed at 2m20s (3 failures): not Ready then, preStop 3 s and SIGTERM 2 s later it exits 143; restarted at once, Ready again; killed every start after", () => {
    const exits = since("deadlock", "ContainerExited");
    expect(exits[0]).toMatchObject({ ms: 145_001, event: { exitCode: 143, phase: "Running", backOffMs: 0, cause: "LivenessProbe" } });
    expect(exits.length).toBeGreaterThan(2);
    expect(exits.map((e) => (e.event as { backOffMs: number }).backOffMs).slice(0, 3)).toEqual([0, 10_000, 20_000]);
    // Ready at the 10 s probe (the app answers from 1 s), out of the endpoints when the kill begins, back after the restart.
    const ready = since("deadlock", "PodReadyChanged");
    // The restart commits at 145 001, its first passing probe 10 s later.
    expect(ready.slice(0, 3).map((e) => [e.ms, (e.event as { ready: boolean }).ready])).toEqual([[10_001, true], [140_001, false], [155_002, true]]);
    expect(result.state.pods.get("default/deadlock")?.status).toMatchObject({ lastExitCode: 143, lastTerminationReason: "Error" });
    expect(result.state.pods.get("default/deadlock")?.status.restartCount).toBe(exits.length - (result.state.pods.get("default/deadlock")?.status.waitingReason === "CrashLoopBackOff" ? 1 : 0));
  });

  test("a startup probe shields a slow starter (45 s) from liveness; without one, liveness kills it at 20 s", () => {
    expect(since("slow", "ContainerExited")).toEqual([]);
    expect(since("slow", "PodReadyChanged").map((e) => e.ms)).toEqual([50_001]); // Started at the 50 s startup probe, no readinessProbe
    // It stops at once on SIGTERM (stopAfter 0s): exit 143 at the kill.
    expect(since("slow-unguarded", "ContainerExited").map((e) => [e.ms, (e.event as { cause?: string }).cause, (e.event as { exitCode: number }).exitCode])).toEqual([[20_001, "LivenessProbe", 143]]);
  });

  test("the summary's crash loops count the probe kills", () => {
    const byName = new Map((result.summary.crashLoops ?? []).map((w) => [w.workload, w]));
    expect(byName.get("default/hung")?.kills).toEqual({ StartupProbe: 1 });
    expect(byName.get("default/deadlock")?.kills).toEqual({ LivenessProbe: byName.get("default/deadlock")?.exits });
    expect(byName.get("default/slow")).toBeUndefined();
  });
});
