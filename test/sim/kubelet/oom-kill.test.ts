/**
 * OOM kills: the working-set model (memory.ts), and through a tiny scenario a leak that passes the
 * limit on a schedule (exit 137, OOMKilled, restarted with CrashLoopBackOff) and a working set
 * that grows with the load, killed during a spike only; a container without a limit is never killed.
 */
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../../src/model/cluster-event.ts";
import { MemorySink } from "../../../src/log/memory-sink.ts";
import { formatScenarioError, loadScenarioText } from "../../../src/scenario/load.ts";
import { leakOomAfterMs, workingSetBytes } from "../../../src/sim/kubelet/memory.ts";
import { runScenario } from "../../../src/sim/run.ts";
import { decodeEventPayload } from "../../../src/log/event-codec.ts";
import { formatSummary } from "../../../src/cli/format-summary.ts";

const mib = 2 ** 20;

describe("working set", () => {
  test("base, plus the leak over time, plus the load", () => {
    const m = { baseBytes: 100 * mib, growthBytesPerMinute: 10 * mib, perRequestPerSecondBytes: 2 * mib };
    expect(workingSetBytes(m, 0, 0)).toBe(100 * mib);
    expect(workingSetBytes(m, 90_000, 5)).toBe(125 * mib);
  });

  test("the leak passes the limit at the first ms above it; at once when the base is above; never without a leak or a limit", () => {
    const m = { baseBytes: 256 * mib, growthBytesPerMinute: 64 * mib, perRequestPerSecondBytes: 0 };
    expect(leakOomAfterMs(m, 512 * mib)).toBe(240_001);
    expect(workingSetBytes(m, 240_000, 0)).toBe(512 * mib); // at the limit, not past it
    expect(leakOomAfterMs(m, 128 * mib)).toBe(0);
    expect(leakOomAfterMs({ ...m, growthBytesPerMinute: 0 }, 512 * mib)).toBeUndefined();
    expect(leakOomAfterMs(m, undefined)).toBeUndefined();
  });
});

const scenario = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: oom}
spec:
  duration: 12m
  seed: 1
  cluster:
    nodePools:
      - {name: pool, count: 1, zones: [zone-a], allocatable: {cpu: "4", memory: 16Gi}}
  workloads:
    - manifest:
        apiVersion: v1
        kind: Pod
        metadata: {name: leaky, labels: {app: leaky}}
        spec:
          containers:
            - {name: main, image: example/leaky:1, resources: {requests: {cpu: 100m}, limits: {memory: 512Mi}}}
    - manifest:
        apiVersion: v1
        kind: Pod
        metadata: {name: unlimited, labels: {app: unlimited}}
        spec:
          containers:
            - {name: main, image: example/leaky:1, resources: {requests: {cpu: 100m}}}
    - manifest:
        apiVersion: v1
        kind: Pod
        metadata: {name: api, labels: {app: api}}
        spec:
          restartPolicy: Never
          containers:
            - {name: main, image: example/api:1, resources: {requests: {cpu: 100m}, limits: {memory: 256Mi}}}
    - manifest:
        apiVersion: v1
        kind: Service
        metadata: {name: api}
        spec:
          selector: {app: api}
          ports: [{port: 80}]
  load:
    - service: api
      requestsPerSecond: 10
      cpuPerRequest: 1m
      curve: {type: spike, at: 6m, duration: 1m, factor: 2}
  containerBehavior:
    - {match: {image: example/leaky:1}, memory: {base: 256Mi, growthPerMinute: 64Mi}}
    - {match: {selector: {app: api}}, memory: {base: 100Mi, perRequestPerSecond: 10Mi}}
`;

const loaded = loadScenarioText(scenario, "oom.yaml", "/");
if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
const sink = new MemorySink();
const result = runScenario(loaded.plan, { seed: 1, variant: "baseline", sink });
const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
const mine = (name: string, kind: ClusterEvent["kind"]) => log.filter((e) => e.event.kind === kind && "key" in e.event && e.event.key === `default/${name}`);

describe("OOM kills through the kubelet", () => {
  test("a leak from 256Mi at 64Mi a minute passes its 512Mi limit 4 min after each start: exit 137, OOMKilled, restarted with back-off", () => {
    const running = mine("leaky", "PodRunning")[0]!.atMs;
    const exits = mine("leaky", "ContainerExited");
    // The kill at start + 240 001 ms commits 1 ms later.
    expect(exits[0]).toMatchObject({ atMs: running + 240_001 + 1, event: { exitCode: 137, cause: "OOMKilled", phase: "Running", backOffMs: 0 } });
    // Restarted at once, killed 4 min later again, then waits 10 s.
    expect(exits[1]?.event).toMatchObject({ cause: "OOMKilled", backOffMs: 10_000 });
    expect(exits[1]!.atMs - exits[0]!.atMs).toBeGreaterThan(240_000);
    expect(result.state.pods.get("default/leaky")?.status).toMatchObject({ lastExitCode: 137, lastTerminationReason: "OOMKilled" });
  });

  test("without a memory limit the same leak is never killed", () => {
    expect(mine("unlimited", "ContainerExited")).toEqual([]);
  });

  test("the load's working set: 10 req/s (200Mi) is fine, the 20 req/s spike at 6m (300Mi) kills it under Never: Failed", () => {
    const exits = mine("api", "ContainerExited");
    expect(exits).toHaveLength(1);
    expect(exits[0]!.event).toMatchObject({ exitCode: 137, cause: "OOMKilled", phase: "Failed" });
    // The first 5 s slice of the spike ends at 6m05s; the kill lands with it (the write commits 1 ms later).
    expect(exits[0]!.atMs).toBe(365_001);
    expect(result.state.pods.get("default/api")?.status).toMatchObject({ phase: "Failed", lastTerminationReason: "OOMKilled" });
  });

  test("the summary's crash loops say which exits were OOM kills", () => {
    const api = result.summary.crashLoops?.find((w) => w.workload === "default/api");
    expect(api).toMatchObject({ exits: 1, restarts: 0, kills: { OOMKilled: 1 } });
    const leaky = result.summary.crashLoops?.find((w) => w.workload === "default/leaky");
    expect(leaky?.kills).toEqual({ OOMKilled: leaky?.exits });
    expect(formatSummary(result.summary, { wallMs: 0 })).toMatch(/default\/api +exits 1 \(killed: OOMKilled 1\) · restarts 0/);
  });

  test("every record of the run passes the log's codec (the new fields and kinds included)", () => {
    const problems = sink.records.flatMap((r) => {
      const d = decodeEventPayload(r.kind, r.payload);
      return "problem" in d ? [`${r.kind}: ${d.problem}`] : [];
    });
    expect(problems).toEqual([]);
    expect(sink.records.some((r) => r.kind === "ContainerExited")).toBe(true);
  });
});
