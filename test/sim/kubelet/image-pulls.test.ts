/**
 * Image pulls: the pull policy's defaults (SetDefaults_Container), the node cache and the serial
 * puller (pure), and through a tiny scenario: pods wait in ContainerCreating for size ÷ bandwidth,
 * one pull at a time per node, a second pod of a cached image starts without one, `Never` with
 * the image absent waits in ErrImageNeverPull, a preloaded image needs no pull.
 */
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../../src/model/cluster-event.ts";
import type { Container } from "../../../src/model/objects.ts";
import { MemorySink } from "../../../src/log/memory-sink.ts";
import { formatScenarioError, loadScenarioText } from "../../../src/scenario/load.ts";
import { ImagePuller, pullPolicyOf } from "../../../src/sim/kubelet/image-puller.ts";
import { runScenario } from "../../../src/sim/run.ts";
import { decodeEventPayload } from "../../../src/log/event-codec.ts";
import { formatSummary } from "../../../src/cli/format-summary.ts";

const c = (image: string, imagePullPolicy?: Container["imagePullPolicy"]): Container => ({ name: "c", image, requests: {}, limits: {}, ...(imagePullPolicy ? { imagePullPolicy } : {}) });
const mib = 2 ** 20;

describe("pull policy defaults", () => {
  test("Always for :latest or no tag, IfNotPresent for a tag or a digest; an explicit policy stands", () => {
    expect(pullPolicyOf(c("nginx"))).toBe("Always");
    expect(pullPolicyOf(c("nginx:latest"))).toBe("Always");
    expect(pullPolicyOf(c("registry:5000/team/app"))).toBe("Always"); // the port is no tag
    expect(pullPolicyOf(c("registry:5000/team/app:1.2"))).toBe("IfNotPresent");
    expect(pullPolicyOf(c("app@sha256:abc"))).toBe("IfNotPresent");
    expect(pullPolicyOf(c("nginx:latest", "Never"))).toBe("Never");
  });
});

describe("the node's puller", () => {
  const params = { bytesPerSecond: 50 * mib, defaultImageBytes: 0, serialize: true };
  const images = [
    { image: "a:1", sizeBytes: 500 * mib, preloaded: false },
    { image: "b:1", sizeBytes: 250 * mib, preloaded: false },
    { image: "pre:1", sizeBytes: 900 * mib, preloaded: true },
  ];

  test("serialized: the second image waits for the first; a second pod of an image in flight waits for it", () => {
    const p = new ImagePuller(params, images);
    expect(p.ensure([c("a:1")], 0)).toEqual({ readyMs: 10_000, pulling: "a:1" });
    expect(p.ensure([c("b:1")], 1_000)).toEqual({ readyMs: 15_000, pulling: "b:1" });
    expect(p.ensure([c("a:1")], 2_000)).toEqual({ readyMs: 10_000, pulling: "a:1" });
    expect(p.ensure([c("a:1")], 20_000)).toEqual({ readyMs: 20_000 });
  });

  test("without serialization each pull starts at once", () => {
    const p = new ImagePuller({ ...params, serialize: false }, images);
    p.ensure([c("a:1")], 0);
    expect(p.ensure([c("b:1")], 1_000)).toEqual({ readyMs: 6_000, pulling: "b:1" });
  });

  test("Always on a cached image downloads nothing but waits its turn; Never needs the image on the node", () => {
    const p = new ImagePuller(params, images);
    p.ensure([c("a:1")], 0);
    expect(p.ensure([c("a:1", "Always")], 30_000)).toEqual({ readyMs: 30_000 });
    p.ensure([c("b:1")], 40_000); // busy until 45 s
    expect(p.ensure([c("a:1", "Always")], 41_000)).toEqual({ readyMs: 45_000, pulling: "a:1" });
    expect(p.ensure([c("pre:1", "Never")], 0)).toEqual({ readyMs: 0 });
    expect(p.ensure([c("b:2", "Never")], 0)).toEqual({ neverPulled: "b:2" });
  });

  test("a crash loses the pull in flight, not the images on disk", () => {
    const p = new ImagePuller(params, images);
    p.ensure([c("a:1")], 0);
    p.ensure([c("b:1")], 0); // until 15 s
    p.crashed(12_000);
    expect(p.ensure([c("a:1")], 20_000)).toEqual({ readyMs: 20_000 });
    expect(p.ensure([c("b:1")], 20_000)).toEqual({ readyMs: 25_000, pulling: "b:1" });
  });
});

function pod(name: string, image: string, policy?: string): string {
  return `    - manifest:
        apiVersion: v1
        kind: Pod
        metadata: {name: ${name}}
        spec:
          containers:
            - name: main
              image: ${image}
${policy === undefined ? "" : `              imagePullPolicy: ${policy}\n`}              resources: {requests: {cpu: 100m}}`;
}

const scenario = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: pulls}
spec:
  duration: 5m
  seed: 1
  cluster:
    nodePools:
      - {name: pool, count: 1, zones: [zone-a], allocatable: {cpu: "4", memory: 16Gi}}
  images:
    - {image: "example/big:1", size: 500Mi}
    - {image: "example/small:1", size: 100Mi}
    - {image: "example/agent:1", size: 2Gi, preloaded: true}
  parameters:
    podStartMedian: 1s
    podStartSigma: 0
    imagePulls: {bandwidth: 50Mi}
  workloads:
${pod("big-a", "example/big:1")}
${pod("big-b", "example/big:1")}
${pod("small", "example/small:1")}
${pod("agent", "example/agent:1", "Never")}
${pod("absent", "example/absent:1", "Never")}
`;

const loaded = loadScenarioText(scenario, "pulls.yaml", "/");
if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
const sink = new MemorySink();
const result = runScenario(loaded.plan, { seed: 1, variant: "baseline", sink });
const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
const first = (kind: ClusterEvent["kind"], name: string) => log.find((e) => e.event.kind === kind && "key" in e.event && e.event.key === `default/${name}`);

describe("pulls through the kubelet", () => {
  test("the plan has the sizes and the bandwidth in bytes", () => {
    expect(loaded.plan.images).toEqual([
      { image: "example/big:1", sizeBytes: 500 * mib, preloaded: false },
      { image: "example/small:1", sizeBytes: 100 * mib, preloaded: false },
      { image: "example/agent:1", sizeBytes: 2048 * mib, preloaded: true },
    ]);
    expect(loaded.plan.parameters.imagePulls).toEqual({ bytesPerSecond: 50 * mib, defaultImageBytes: 0, serialize: true });
  });

  test("one pull at a time: the pods wait in ContainerCreating, then start 1 s after their image arrived", () => {
    const waits = log.flatMap((e) => (e.event.kind === "ContainerWaiting" ? [[e.event.key, e.event.reason, e.event.image]] : []));
    expect(waits).toEqual(
      expect.arrayContaining([
        ["default/big-a", "ContainerCreating", "example/big:1"],
        ["default/big-b", "ContainerCreating", "example/big:1"],
        ["default/small", "ContainerCreating", "example/small:1"],
        ["default/absent", "ErrImageNeverPull", "example/absent:1"],
      ]),
    );
    expect(waits).toHaveLength(4);
    // The kubelet hears the five binds in one watch batch and asks for every image then (its writes commit 1 ms later):
    // the two big pods share one 10 s pull, the small image's 2 s come after it.
    const heardMs = first("ContainerWaiting", "big-a")!.atMs - 1;
    const pulls = ["big-a", "big-b", "small"].map((n) => first("ContainerWaiting", n)!);
    expect(pulls.map((e) => [e.atMs - 1, (e.event as { pullMs: number }).pullMs])).toEqual([[heardMs, 10_000], [heardMs, 10_000], [heardMs, 12_000]]);
    for (const [i, name] of ["big-a", "big-b", "small"].entries()) {
      const pullMs = (pulls[i]!.event as { pullMs: number }).pullMs;
      expect(first("PodRunning", name)!.atMs).toBe(heardMs + pullMs + 1_000 + 1);
    }
  });

  test("a preloaded image starts without a pull; Never with the image absent never starts", () => {
    const heardMs = first("ContainerWaiting", "absent")!.atMs - 1;
    expect(first("ContainerWaiting", "agent")).toBeUndefined();
    expect(first("PodRunning", "agent")!.atMs).toBe(heardMs + 1_000 + 1);
    expect(first("PodRunning", "absent")).toBeUndefined();
    expect(result.state.pods.get("default/absent")?.status).toMatchObject({ phase: "Pending", waitingReason: "ErrImageNeverPull" });
  });

  test("the pods' status says ContainerCreating only while they pull: the start clears it", () => {
    expect(result.state.pods.get("default/big-a")?.status).toMatchObject({ phase: "Running" });
    expect(result.state.pods.get("default/big-a")?.status.waitingReason).toBeUndefined();
  });

  test("the summary counts the pods that waited, their total and longest wait, and the Never one", () => {
    expect(result.summary.imagePulls).toEqual({ podsWaited: 3, waitMsTotal: 32_000, waitMsMax: 12_000, longestImage: "example/small:1", neverPulled: 1 });
    expect(formatSummary(result.summary, { wallMs: 0 })).toContain("Image pulls: 3 pod(s) waited 32s in all · longest 12s (example/small:1) · 1 waiting for an image they may not pull (ErrImageNeverPull)");
  });

  test("every record of the run passes the log's codec (the new fields and kinds included)", () => {
    const problems = sink.records.flatMap((r) => {
      const d = decodeEventPayload(r.kind, r.payload);
      return "problem" in d ? [`${r.kind}: ${d.problem}`] : [];
    });
    expect(problems).toEqual([]);
    expect(sink.records.some((r) => r.kind === "ContainerWaiting")).toBe(true);
  });
});
