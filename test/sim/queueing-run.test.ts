/**
 * Queueing in whole runs: a Service over a fast Deployment and one slow canary pod (a tenth of the
 * cpu limit), round-robin against least-request; conservation of requests; a pod not ready takes
 * nothing; a load without queueing fields runs as before (no latency, no saturation drops); the
 * latency and dropped expectations, their errors, the summary's text and the compared metrics.
 */
import { describe, expect, test } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { formatScenarioError, loadScenarioText } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { comparedMetrics } from "../../src/cli/compare/run-metrics.ts";
import { formatSummary } from "../../src/cli/format-summary.ts";

function deployment(name: string, replicas: number, cpuLimit: string): string {
  return `
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ${name}}
        spec:
          replicas: ${replicas}
          selector: {matchLabels: {app: web, track: ${name}}}
          template:
            metadata: {labels: {app: web, track: ${name}}}
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: "${cpuLimit}", memory: 128Mi}}`;
}

function scenario(loadExtra: string, expectations = ""): string {
  return `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: queueing-run}
spec:
  duration: 10m
  seed: 5
  cluster:
    nodePools:
      - {name: general, count: 2, allocatable: {cpu: "8", memory: 16Gi, pods: 110}}
  workloads:${deployment("fast", 3, "1")}${deployment("canary", 1, "100m")}
    - manifest:
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}, ports: [{port: 80}]}
  load:
    - service: web
      requestsPerSecond: 150
      noise: poisson
      cpuPerRequest: 5m
      baseCpu: 10m${loadExtra}
${expectations}`;
}

function run(text: string, seed = 5) {
  const loaded = loadScenarioText(text, "queueing-run.yaml", ".");
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const summary = runScenario(loaded.plan, { seed, variant: "baseline", sink: new MemorySink() }).summary;
  const web = summary.traffic?.find((t) => t.service === "default/web");
  if (web === undefined) throw new Error("no traffic");
  return { summary, web };
}

const queued = "\n      serviceTime: 20ms\n      concurrency: 8\n      queueLimit: 100";
// The canary completes (100m − 10m) / 5m = 18 requests/s; round-robin sends it 150/4 = 37.5.
const canaryCapacityPerS = (100 - 10) / 5;
const canaryFullQueueMs = (100 / canaryCapacityPerS) * 1000 + 20;

describe("a slow canary behind the same Service", () => {
  const rr = run(scenario(queued));
  const lr = run(scenario(`${queued}\n      balancing: leastRequest`));

  test("round-robin: the canary's share beyond its 18/s is dropped and what it serves waits its full queue", () => {
    // From when the pods are ready (the first few seconds drop without an endpoint) to the end: ~ (37.5 − 18)/s.
    const expected = (150 / 4 - canaryCapacityPerS) * 600;
    expect(rr.web.droppedSaturatedRequests).toBeGreaterThan(0.9 * expected);
    expect(rr.web.droppedSaturatedRequests).toBeLessThan(1.02 * expected);
    // 18 of 150 served each second wait the full queue: more than 5%, so that is the p95.
    expect(rr.web.latency?.p95Ms).toBeGreaterThanOrEqual(canaryFullQueueMs);
    expect(rr.web.latency?.p95Ms).toBeLessThan(canaryFullQueueMs * 1.05);
  });

  test("least-request: the canary gets no more than it completes, so nothing queues for long and nothing is dropped for saturation", () => {
    expect(lr.web.droppedSaturatedRequests).toBeLessThan(0.01 * rr.web.droppedSaturatedRequests);
    expect(lr.web.latency?.p95Ms).toBeLessThan(100);
    expect(lr.web.latency?.p50Ms).toBeGreaterThanOrEqual(20);
    // Same arrivals: least-request draws nothing from the load's stream.
    expect(lr.web.offeredRequests).toBe(rr.web.offeredRequests);
  });

  test("every request is served or dropped, by one cause or the other", () => {
    for (const v of [rr, lr]) {
      expect(v.web.servedRequests + v.web.droppedRequests).toBeCloseTo(v.web.offeredRequests, 3);
      expect(v.web.droppedNoEndpointRequests + v.web.droppedSaturatedRequests).toBeCloseTo(v.web.droppedRequests, 3);
      // Before any pod is ready (the first seconds) requests find no endpoint.
      expect(v.web.droppedNoEndpointRequests).toBeGreaterThan(0);
      expect(v.web.droppedNoEndpointRequests).toBeLessThan(150 * 15);
    }
  });

  test("the same seed gives the same traffic and fingerprint", () => {
    const again = run(scenario(queued));
    expect(again.web).toEqual(rr.web);
    expect(again.summary.fingerprint).toBe(rr.summary.fingerprint);
  });

  test("the summary's text shows drops by cause and the latency percentiles; compare gets p95 latency and dropped requests", () => {
    const text = formatSummary(rr.summary, { wallMs: 0 });
    expect(text).toMatch(/dropped: \d+ without a ready endpoint, \d+ to full queues/);
    expect(text).toMatch(/latency p50 [\d.]+ms · p95 5s\d+ms · p99 5s\d+ms/);
    const p95 = comparedMetrics.find((m) => m.name === "p95 latency");
    const dropped = comparedMetrics.find((m) => m.name === "dropped requests");
    expect(p95?.of(rr.summary)).toBe(rr.web.latency?.p95Ms);
    expect(dropped?.of(rr.summary)).toBe(rr.web.droppedRequests);
  });
});

describe("a load without queueing fields", () => {
  const plain = run(scenario(""));

  test("runs as before: no latency, nothing dropped for saturation, everything routed to an endpoint is served", () => {
    expect(plain.web.latency).toBeUndefined();
    expect(plain.web.droppedSaturatedRequests).toBe(0);
    expect(plain.web.droppedRequests).toBe(plain.web.droppedNoEndpointRequests);
    expect(comparedMetrics.find((m) => m.name === "p95 latency")?.of(plain.summary)).toBe(0);
  });
});

describe("latency and dropped expectations", () => {
  const expectations = (lines: string) => `  expectations:\n${lines}`;

  test("they judge the run's percentiles and drop share, with the measured numbers in the detail", () => {
    const r = run(scenario(queued, expectations(`    - {name: slo, latency: {service: web, p50Below: 1s, p95Below: 200ms}}
    - {name: drops, dropped: {service: web, atMost: 25%}}
    - {name: strict, dropped: {service: default/web, atMost: 1%}}`)));
    const [slo, drops, strict] = r.summary.expectations;
    expect(slo?.passed).toBe(false); // p95 is the canary's full queue
    expect(slo?.detail).toMatch(/p50 [\d.]+ms < 1s, p95 5s\d+ms ≥ 200ms/);
    expect(drops?.passed).toBe(true);
    expect(strict?.passed).toBe(false);
    expect(strict?.detail).toContain("to full queues");
  });

  test("a latency expectation on a load without queueing fails, saying why", () => {
    const r = run(scenario("", expectations("    - {latency: {service: web, p95Below: 1s}}")));
    expect(r.summary.expectations[0]?.passed).toBe(false);
    expect(r.summary.expectations[0]?.detail).toContain("kept for a load with queueing");
    expect(r.summary.expectations[0]?.name).toBe("latency of default/web: p95 below 1s");
  });

  test("a Service without load, or no limit stated, is an error at its line", () => {
    const bad = loadScenarioText(scenario(queued, expectations("    - {latency: {service: shop, p95Below: 1s}}")), "q.yaml", ".");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(formatScenarioError(bad.error)).toContain('expected a Service that spec.load sends traffic to, got "shop"; known: default/web');
    const none = loadScenarioText(scenario(queued, expectations("    - {latency: {service: web}}")), "q.yaml", ".");
    expect(none.ok).toBe(false);
    if (!none.ok) expect(formatScenarioError(none.error)).toContain('expected at least one of "p50Below", "p95Below", "p99Below"');
  });
});
