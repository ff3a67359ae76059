import { describe, expect, test } from "vitest";
import type { Namespace } from "../../src/model/objects.ts";
import type { LimitRange, PriorityClass, ResourceQuota } from "../../src/model/scheduling-objects.ts";
import { admitPod, quotaUsage } from "../../src/policies/admission/admit-pod.ts";
import type { AdmissionView } from "../../src/policies/admission/types.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

const mi = 1024 * 1024;
const meta = (name: string, namespace = "") => ({ name, namespace, uid: `uid-${name}`, labels: {}, creationMs: 0 });

function view(extra: Partial<AdmissionView> = {}, pods = [makePod().name("old").namespace("team").cpuMilli(1500).memoryMi(512).node("n").obj()]): AdmissionView {
  const state = clusterOf([makeNode().name("n").cpuMilli(8000).obj()], pods);
  const team: Namespace = { kind: "Namespace", metadata: meta("team") };
  state.namespaces.set("team", team);
  return { ...state, ...extra };
}

const quota: ResourceQuota = {
  kind: "ResourceQuota",
  metadata: meta("compute", "team"),
  spec: { hard: { "requests.cpu": 2000, "requests.memory": 2048 * mi, pods: 10 } },
  status: { hard: {}, used: {} },
};

describe("admitPod", () => {
  test("rejects an over-quota pod with upstream's 403 message and counts usage", () => {
    const v = view({ resourceQuotas: new Map([["team/compute", quota]]) });
    expect(quotaUsage(v, quota)).toEqual({ "requests.cpu": 1500, "requests.memory": 512 * mi, pods: 1 });
    const r = admitPod(v, makePod().name("big").namespace("team").cpuMilli(1000).memoryMi(256).obj(), 0);
    expect(r).toEqual({
      kind: "Rejected",
      code: 403,
      reason: "Forbidden",
      plugin: "ResourceQuota",
      message: 'pods "big" is forbidden: exceeded quota: compute, requested: requests.cpu=1, used: requests.cpu=1500m, limited: requests.cpu=2',
    });
    const ok = admitPod(v, makePod().name("small").namespace("team").cpuMilli(500).memoryMi(256).obj(), 0);
    expect(ok.kind).toBe("Admitted");
    const bare = admitPod(v, makePod().name("bare").namespace("team").obj(), 0);
    expect(bare.kind === "Rejected" && bare.message).toBe('pods "bare" is forbidden: failed quota: compute: must specify requests.cpu for: c0; requests.memory for: c0');
  });

  test("LimitRange defaults fill containers, and limits outside min/max are rejected", () => {
    const lr: LimitRange = {
      kind: "LimitRange",
      metadata: meta("limits", "team"),
      spec: { limits: [{ type: "Container", default: { cpu: 500, memory: 256 * mi }, defaultRequest: { cpu: 100 }, max: { cpu: 2000 }, min: { cpu: 50 } }] },
    };
    const v = view({ limitRanges: new Map([["team/limits", lr]]) });
    const r = admitPod(v, makePod().name("p").namespace("team").obj(), 0);
    if (r.kind !== "Admitted") throw new Error(r.message);
    expect(r.pod.spec.containers[0]?.requests).toEqual({ cpu: 100, memory: 256 * mi });
    expect(r.pod.spec.containers[0]?.limits).toEqual({ cpu: 500, memory: 256 * mi });
    const tooBig = admitPod(v, makePod().name("huge").namespace("team").limits({ cpu: 3000 }).obj(), 0);
    expect(tooBig.kind === "Rejected" && tooBig.message).toBe('pods "huge" is forbidden: maximum cpu usage per Container is 2, but limit is 3');
  });

  test("priority classes resolve (named, global default, system); unknown names are rejected", () => {
    const classes = new Map<string, PriorityClass>([
      ["high", { kind: "PriorityClass", metadata: meta("high"), value: 1000, preemptionPolicy: "Never" }],
      ["normal", { kind: "PriorityClass", metadata: meta("normal"), value: 10, globalDefault: true }],
    ]);
    const v = view({ priorityClasses: classes });
    const high = admitPod(v, makePod().name("h").namespace("team").priorityClassName("high").obj(), 0);
    expect(high.kind === "Admitted" && [high.pod.spec.priority, high.pod.spec.preemptionPolicy]).toEqual([1000, "Never"]);
    const plain = admitPod(v, makePod().name("p").namespace("team").obj(), 0);
    expect(plain.kind === "Admitted" && [plain.pod.spec.priority, plain.pod.spec.priorityClassName]).toEqual([10, "normal"]);
    const sys = admitPod(v, makePod().name("s").namespace("team").priorityClassName("system-node-critical").obj(), 0);
    expect(sys.kind === "Admitted" && sys.pod.spec.priority).toBe(2_000_001_000);
    const unknown = admitPod(v, makePod().name("u").namespace("team").priorityClassName("gold").obj(), 0);
    expect(unknown.kind === "Rejected" && [unknown.code, unknown.message]).toEqual([403, 'pods "u" is forbidden: no PriorityClass with name gold was found']);
  });

  test("default not-ready/unreachable tolerations are added once; missing namespaces are refused", () => {
    const v = view();
    const r = admitPod(v, makePod().name("p").namespace("team").toleration({ key: "node.kubernetes.io/unreachable", operator: "Exists" }).obj(), 0);
    if (r.kind !== "Admitted") throw new Error(r.message);
    expect(r.pod.spec.tolerations).toEqual([
      { key: "node.kubernetes.io/unreachable", operator: "Exists" },
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ]);
    const input = makePod().name("q").namespace("team").obj();
    admitPod(v, input, 0);
    expect(input.spec.tolerations).toBeUndefined(); // the caller's pod is never mutated
    const missing = admitPod(v, makePod().name("x").namespace("ghost").obj(), 0);
    expect(missing.kind === "Rejected" && [missing.code, missing.reason, missing.plugin]).toEqual([404, "NotFound", "NamespaceLifecycle"]);
    expect(admitPod(v, makePod().name("d").namespace("default").obj(), 0).kind).toBe("Admitted");
  });
});
