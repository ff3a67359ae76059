/**
 * The served twin and the live adapter at size (issue targets: 5,000 nodes, 100,000 pods):
 * `kubectl get pods -A` against the served twin (≤ 3 s), the adapter's initial lists through the
 * codec (time to first decision ≤ 1 s after them), watch events processed per second (≥ 10,000),
 * one shadow scheduling judgement (p99 ≤ 50 ms), a recording of it (kubetwin record: the first
 * list and the watch events as log records) and resident memory. Server and adapter share
 * this one process, so the memory figure covers both.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { kubeconfigFor } from "../src/cli/serve-command.ts";
import { TwinServer } from "../src/cli/serve-http.ts";
import { servedResources } from "../src/cli/serve-resources.ts";
import { ServedWorld } from "../src/cli/serve-world.ts";
import { connectKubeClient } from "../src/live/kube-client.ts";
import { LiveCluster } from "../src/live/live-cluster.ts";
import { shadowFramework } from "../src/live/shadow-scheduler.ts";
import { ShadowSession } from "../src/live/shadow-session.ts";
import { RecordSession } from "../src/live/record-session.ts";
import { SqliteLog } from "../src/log/sqlite-log.ts";
import type { LogRecord } from "../src/log/record.ts";
import type { ClusterEvent } from "../src/model/cluster-event.ts";
import { evolve } from "../src/model/evolve.ts";
import type { Node, Pod } from "../src/model/objects.ts";
import { emptyState } from "../src/model/state.ts";

const nodesCount = Number(process.env["NODES"] ?? 5_000);
const podsCount = Number(process.env["PODS"] ?? 100_000);
const watchEvents = 20_000;

function node(i: number): Node {
  const name = `node-${i}`;
  return {
    kind: "Node",
    metadata: { name, namespace: "", uid: `n${i}`, labels: { "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": `zone-${i % 3}` }, creationMs: 0 },
    spec: { unschedulable: false, taints: [] },
    status: { capacity: { cpu: 32_000, memory: 128 * 2 ** 30, pods: 110 }, allocatable: { cpu: 32_000, memory: 128 * 2 ** 30, pods: 110 }, ready: "True", readyTransitionMs: 0 },
  };
}

function pod(i: number, nodeName: string | undefined): Pod {
  return {
    kind: "Pod",
    metadata: { name: `pod-${i}`, namespace: `ns-${i % 20}`, uid: `p${i}`, labels: { app: `app-${i % 200}` }, creationMs: 0 },
    spec: { schedulerName: "default-scheduler", containers: [{ name: "c", image: "app:1", requests: { cpu: 100, memory: 2 ** 27 }, limits: {} }], ...(nodeName ? { nodeName } : {}) },
    status: { phase: nodeName ? "Running" : "Pending", ready: nodeName !== undefined },
  };
}

const state = emptyState();
for (let i = 0; i < nodesCount; i++) evolve(state, { kind: "NodeAdded", node: node(i) }, 0);
for (let i = 0; i < podsCount; i++) evolve(state, { kind: "PodCreated", pod: pod(i, `node-${i % nodesCount}`) }, 0);
const world = new ServedWorld(state);
const warmStart = performance.now();
world.warm(servedResources);
console.log(`served twin start-up: every object encoded once through the codec in ${((performance.now() - warmStart) / 1000).toFixed(2)} s`);
const server = new TwinServer(world, { port: 0 });
await server.start();
const dir = mkdtempSync(join(tmpdir(), "kubetwin-bench-live-"));
const kubeconfig = join(dir, "kubeconfig");
writeFileSync(kubeconfig, kubeconfigFor(server.url));

const kubectlStart = performance.now();
const out = await promisify(execFile)("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), "get", "pods", "-A"], { maxBuffer: 1 << 30 });
const kubectlMs = performance.now() - kubectlStart;
console.log(`kubectl get pods -A, ${nodesCount} nodes / ${podsCount} pods: ${(kubectlMs / 1000).toFixed(2)} s, ${out.stdout.split("\n").length - 2} rows (target ≤ 3 s)`);

const live = new LiveCluster(connectKubeClient({ file: kubeconfig }, { requestTimeoutMs: 120_000 }), { kinds: ["Node", "Pod"] });
const listStart = performance.now();
await live.start();
console.log(`adapter initial lists through the codec: ${((performance.now() - listStart) / 1000).toFixed(2)} s for ${live.objects.get("Pod")!.size} pods, ${live.objects.get("Node")!.size} nodes`);

const viewStart = performance.now();
const session = new ShadowSession(live, shadowFramework(), () => {});
console.log(`shadow view built from the lists: ${((performance.now() - viewStart) / 1000).toFixed(2)} s`);
const framework = shadowFramework();
const judgeMs: number[] = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  session.view.judge(framework, `ns-${i % 20}/pod-${i}`, `node-${i % nodesCount}`);
  judgeMs.push(performance.now() - t);
}
const sortedMs = [...judgeMs].sort((a, b) => a - b);
console.log(`shadow judgement of one binding (50): first ${judgeMs[0]!.toFixed(0)} ms, median ${sortedMs[25]!.toFixed(0)} ms, max ${sortedMs[49]!.toFixed(0)} ms (target: first ≤ 1 s, p99 ≤ 50 ms)`);

// kubetwin record: the first list as records (through evolve, into a SQLite log), then each watch event below
const recordLog = SqliteLog.open(join(dir, "record.db"), { create: true });
const recordRun = recordLog.createRun({ scenario: "bench", scenarioHash: "", seed: 0, variant: "recording", parameters: "{}", codeVersion: "bench", durationMs: 0, createdWall: new Date().toISOString() });
const recordSink = recordLog.sinkForRun(recordRun);
const recordStart = performance.now();
const recording = new RecordSession(live, recordSink, () => performance.now() - recordStart);
const recordListSeconds = (performance.now() - recordStart) / 1000;
console.log(`record: the first list as ${recording.records} records in ${recordListSeconds.toFixed(2)} s (${Math.round(recording.records / recordListSeconds)} /s)`);

let seen = 0;
live.on(() => seen++);
const records: LogRecord[] = [];
for (let i = 0; i < watchEvents; i++) {
  const key = `ns-${i % 20}/pod-${i % podsCount}`;
  const event: ClusterEvent = { kind: "PodReadyChanged", key, ready: i % 2 === 0 ? false : true };
  records.push({ seq: i, atMs: 1 + i, kind: event.kind, subject: `pod/${key}`, payload: JSON.stringify(event), exogenous: false });
}
const watchStart = performance.now();
for (const r of records) world.apply(r);
while (seen < watchEvents) await new Promise((r) => setTimeout(r, 5));
const watchSeconds = (performance.now() - watchStart) / 1000;
console.log(`watch events served, streamed and decoded by the adapter (and recorded): ${Math.round(watchEvents / watchSeconds)} /s (target ≥ 10,000)`);
const flushStart = performance.now();
recordSink.finish();
recordLog.finishRun(recordRun, { status: "done", durationMs: recording.atMs });
recordLog.close();
console.log(`record: ${recording.records} records (${recording.counts.endogenous} endogenous) written and sealed in ${((performance.now() - flushStart) / 1000).toFixed(2)} s at the end`);
console.log(`resident memory, server and adapter together: ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB (target ≤ 1 GB for the adapter)`);
await live.stop();
await server.stop();
rmSync(dir, { recursive: true, force: true });
