/** The DaemonSet controller's pieces (upstream pkg/controller/daemon) and small end-to-end runs. */
import { describe, expect, test } from "vitest";
import type { DaemonSet } from "../../src/model/daemon-set.ts";
import { emptyDaemonSetStatus } from "../../src/model/daemon-set.ts";
import type { Node, Pod, Taint } from "../../src/model/objects.ts";
import { addDaemonPodTolerations, nodeShouldRunDaemonPod, pinnedAffinity, revisionHashLabel } from "../../src/policies/controllers/daemon-pod.ts";
import { rollingUpdate, updateLimits } from "../../src/policies/controllers/daemonset-update.ts";
import { runScenario } from "../../src/sim/run.ts";
import { formatScenarioError } from "../../src/scenario/load.ts";
import { loadText } from "../scenario/helpers.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";

function daemonSet(spec: Partial<DaemonSet["spec"]> = {}, podSpec: Partial<Pod["spec"]> = {}): DaemonSet {
  return {
    kind: "DaemonSet",
    metadata: { name: "agent", namespace: "kube-system", uid: "ds-1", labels: {}, creationMs: 0 },
    spec: {
      selector: { matchLabels: { app: "agent" } },
      template: { labels: { app: "agent" }, spec: { schedulerName: "default-scheduler", containers: [{ name: "a", requests: {}, limits: {} }], ...podSpec } },
      updateStrategy: { type: "RollingUpdate", maxUnavailable: 1, maxSurge: 0 },
      ...spec,
    },
    status: { ...emptyDaemonSetStatus },
  };
}

function node(name: string, labels: Record<string, string> = {}, taints: Taint[] = []): Node {
  return { kind: "Node", metadata: { name, namespace: "", uid: name, labels, creationMs: 0 }, spec: { unschedulable: false, taints }, status: { capacity: {}, allocatable: {}, ready: "True", readyTransitionMs: 0 } };
}

describe("nodeShouldRunDaemonPod", () => {
  test("a plain node runs it; a node selector or required affinity that does not fit stops and removes it", () => {
    expect(nodeShouldRunDaemonPod(node("n"), daemonSet())).toEqual({ shouldRun: true, shouldContinueRunning: true });
    const gpu = daemonSet({}, { nodeSelector: { gpu: "true" } });
    expect(nodeShouldRunDaemonPod(node("n"), gpu)).toEqual({ shouldRun: false, shouldContinueRunning: false });
    expect(nodeShouldRunDaemonPod(node("n", { gpu: "true" }), gpu).shouldRun).toBe(true);
    const zoned = daemonSet({}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }] } } } });
    expect(nodeShouldRunDaemonPod(node("n", { zone: "b" }), zoned).shouldContinueRunning).toBe(false);
    expect(nodeShouldRunDaemonPod(node("n", { zone: "a" }), zoned).shouldRun).toBe(true);
  });
  test("an untolerated NoSchedule taint stops new pods but keeps a running one; an untolerated NoExecute one removes it", () => {
    expect(nodeShouldRunDaemonPod(node("n", {}, [{ key: "dedicated", value: "db", effect: "NoSchedule" }]), daemonSet())).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node("n", {}, [{ key: "dedicated", value: "db", effect: "NoExecute" }]), daemonSet())).toEqual({ shouldRun: false, shouldContinueRunning: false });
    expect(nodeShouldRunDaemonPod(node("n", {}, [{ key: "dedicated", value: "db", effect: "PreferNoSchedule" }]), daemonSet()).shouldRun).toBe(true);
    const tolerant = daemonSet({}, { tolerations: [{ key: "dedicated", operator: "Exists" }] });
    expect(nodeShouldRunDaemonPod(node("n", {}, [{ key: "dedicated", value: "db", effect: "NoExecute" }]), tolerant).shouldRun).toBe(true);
  });
  test("the node-condition taints the daemon tolerations cover do not stop it; unreachable NoSchedule does, NoExecute does not remove it", () => {
    for (const key of ["node.kubernetes.io/unschedulable", "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure", "node.kubernetes.io/pid-pressure"]) {
      expect(nodeShouldRunDaemonPod(node("n", {}, [{ key, effect: "NoSchedule" }]), daemonSet()).shouldRun).toBe(true);
    }
    expect(nodeShouldRunDaemonPod(node("n", {}, [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }]), daemonSet()).shouldRun).toBe(true);
    const unreachable: Taint[] = [{ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }, { key: "node.kubernetes.io/unreachable", effect: "NoExecute" }];
    expect(nodeShouldRunDaemonPod(node("n", {}, unreachable), daemonSet())).toEqual({ shouldRun: false, shouldContinueRunning: true });
    const network: Taint[] = [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }];
    expect(nodeShouldRunDaemonPod(node("n", {}, network), daemonSet()).shouldRun).toBe(false);
    expect(nodeShouldRunDaemonPod(node("n", {}, network), daemonSet({}, { hostNetwork: true })).shouldRun).toBe(true);
  });
  test("a template nodeName other than the node's stops it", () => {
    expect(nodeShouldRunDaemonPod(node("n"), daemonSet({}, { nodeName: "m" })).shouldContinueRunning).toBe(false);
  });
});

describe("AddOrUpdateDaemonPodTolerations and the node affinity", () => {
  test("not-ready and unreachable NoExecute forever, four NoSchedule ones, network-unavailable only for hostNetwork; a same toleration is replaced", () => {
    const spec = { schedulerName: "s", containers: [], tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists" as const, effect: "NoExecute" as const, tolerationSeconds: 300 }] };
    addDaemonPodTolerations(spec);
    expect(spec.tolerations).toEqual([
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
      { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
    ]);
    const host = { schedulerName: "s", containers: [], hostNetwork: true };
    addDaemonPodTolerations(host);
    expect((host as { tolerations?: unknown[] }).tolerations).toContainEqual({ key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" });
  });
  test("the required node affinity becomes matchFields metadata.name In [node], replacing the template's terms", () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In" as const, values: ["a"] }] }] } } };
    expect(pinnedAffinity(affinity, "n-1").nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual({ nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n-1"] }] }] });
  });
});

function agentPod(nodeName: string, hash: string, ready: boolean, extra: Partial<Pod["metadata"]> = {}): Pod {
  return {
    kind: "Pod",
    metadata: { name: `agent-${nodeName}-${hash}`, namespace: "kube-system", uid: `${nodeName}-${hash}`, labels: { app: "agent", [revisionHashLabel]: hash }, creationMs: 0, ...extra },
    spec: { nodeName, schedulerName: "default-scheduler", containers: [] },
    status: { phase: "Running", ready, ...(ready ? { readyMs: 0 } : {}) },
  };
}

describe("rolling update", () => {
  const nodes = Array.from({ length: 20 }, (_, i) => `n-${String(i).padStart(2, "0")}`);
  test("maxUnavailable (rounded up as upstream) old pods deleted at once, fewer while some nodes lack an available new pod", () => {
    const ds = daemonSet({ updateStrategy: { type: "RollingUpdate", maxUnavailable: "11%", maxSurge: 0 } });
    expect(updateLimits(ds, 20)).toEqual({ maxSurge: 0, maxUnavailable: 3 });
    const allOld = new Map(nodes.map((n) => [n, [agentPod(n, "old", true)]]));
    expect(rollingUpdate(ds, allOld, 20, "new", 1000)).toEqual({ createOn: [], deletePods: ["kube-system/agent-n-00-old", "kube-system/agent-n-01-old", "kube-system/agent-n-02-old"] });
    const oneMissing = new Map(allOld);
    oneMissing.set("n-00", []);
    oneMissing.set("n-01", [agentPod("n-01", "new", false)]);
    expect(rollingUpdate(ds, oneMissing, 20, "new", 1000).deletePods).toEqual(["kube-system/agent-n-02-old"]);
    const oldNotReady = new Map(oneMissing);
    oldNotReady.set("n-19", [agentPod("n-19", "old", false)]);
    expect(rollingUpdate(ds, oldNotReady, 20, "new", 1000).deletePods).toEqual(["kube-system/agent-n-19-old", "kube-system/agent-n-02-old"]);
  });
  test("maxSurge: a new pod beside an available old one on at most maxSurge nodes, the old one deleted once the new one is available", () => {
    const ds = daemonSet({ updateStrategy: { type: "RollingUpdate", maxUnavailable: 0, maxSurge: 2 } });
    const pods = new Map(nodes.slice(0, 4).map((n) => [n, [agentPod(n, "old", true)]]));
    expect(rollingUpdate(ds, pods, 4, "new", 1000)).toEqual({ createOn: ["n-00", "n-01"], deletePods: [] });
    pods.set("n-00", [agentPod("n-00", "old", true), agentPod("n-00", "new", true)]);
    pods.set("n-01", [agentPod("n-01", "old", true), agentPod("n-01", "new", false)]);
    expect(rollingUpdate(ds, pods, 4, "new", 1000)).toEqual({ createOn: ["n-02"], deletePods: ["kube-system/agent-n-00-old"] });
  });
  test("both limits zero means one unavailable", () => {
    expect(updateLimits(daemonSet({ updateStrategy: { type: "RollingUpdate", maxUnavailable: "0%", maxSurge: 0 } }), 50)).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });
});

function scenario(strategy: string, faults: string): string {
  return `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: ds}
spec:
  duration: 10m
  seed: 1
  cluster:
    nodePools:
      - {name: general, count: 4, zones: [zone-a], allocatable: {cpu: 4, memory: 8Gi, pods: 110}}
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: kube-system}
        spec:
          selector: {matchLabels: {app: agent}}
          updateStrategy: ${strategy}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: "agent:1", resources: {requests: {cpu: 100m}}}]}
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 4
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "web:1", resources: {requests: {cpu: 100m}}}]}
  faults:
${faults}
`;
}

function runText(text: string) {
  const loaded = loadText(text);
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  return runScenario(loaded.plan, { seed: 1, variant: "baseline", sink: new MemorySink() });
}

const agents = (r: ReturnType<typeof runText>) => [...r.state.pods.values()].filter((p) => p.metadata.labels.app === "agent" && p.metadata.deletionMs === undefined);

describe("end to end", () => {
  test("one agent per node, bound by the scheduler to the node its affinity names", () => {
    const r = runText(scenario("{type: RollingUpdate}", "    - {at: 9m, type: PodKill, namespace: default, selector: {app: web}, count: 1}"));
    const pods = agents(r);
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(["general-0", "general-1", "general-2", "general-3"]);
    for (const p of pods) expect(p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values).toEqual([p.spec.nodeName]);
    expect(r.summary.workloads.find((w) => w.key === "kube-system/agent")).toMatchObject({ desired: 4, ready: 4 });
  });
  test("OnDelete: a template change replaces no pod", () => {
    const r = runText(scenario("{type: OnDelete}", '    - {at: 2m, type: Rollout, namespace: kube-system, name: agent, image: {agent: "agent:2"}}'));
    const pods = agents(r);
    expect(pods.length).toBe(4);
    for (const p of pods) expect(p.spec.containers[0]?.image).toBe("agent:1");
  });
  test("RollingUpdate: every agent ends on the new image", () => {
    const r = runText(scenario("{type: RollingUpdate}", '    - {at: 2m, type: Rollout, namespace: kube-system, name: agent, image: {agent: "agent:2"}}'));
    const pods = agents(r);
    expect(pods.length).toBe(4);
    for (const p of pods) expect(p.spec.containers[0]?.image).toBe("agent:2");
  });
  test("a drained node keeps its daemon pod; a crashed node's daemon pod is never evicted by taint", () => {
    const r = runText(scenario("{type: RollingUpdate}", "    - {at: 2m, type: NodeDrain, node: general-1}\n    - {at: 2m, type: NodeCrash, node: general-2}"));
    const pods = agents(r);
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(["general-0", "general-1", "general-2", "general-3"]);
    const web = [...r.state.pods.values()].filter((p) => p.metadata.labels.app === "web" && p.metadata.deletionMs === undefined);
    for (const p of web) expect(p.spec.nodeName).not.toBe("general-1");
    expect(web.some((p) => p.spec.nodeName === "general-2")).toBe(false);
  });
});
