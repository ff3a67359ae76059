import { fc, test } from "@fast-check/vitest";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { decodeObject, encodeObject } from "../../src/k8s/decode.ts";
import { decodeKube, encodeKube } from "../../src/k8s/kinds.ts";
import { PodCodec } from "../../src/k8s/pod.ts";
import { PodTemplateCodec } from "../../src/k8s/pod-spec.ts";
import type { Pod } from "../../src/model/objects.ts";
import { pod, podTemplate } from "./arbitraries.ts";

function decodedPod(raw: unknown): Pod {
  const r = decodeObject(PodCodec, raw);
  if (Result.isFailure(r)) throw new Error(JSON.stringify(r.failure));
  return r.success;
}

const running = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-0", namespace: "shop", uid: "u-1", labels: { app: "web" }, creationTimestamp: "2024-05-01T12:00:00Z", ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d", uid: "rs-1", controller: true, blockOwnerDeletion: true }] },
  spec: {
    nodeName: "node-a",
    containers: [{ name: "web", image: "nginx", livenessProbe: { httpGet: { port: 80 } }, resources: { requests: { cpu: "250m" }, limits: { cpu: "1", memory: "1Gi" } }, ports: [{ containerPort: 80 }] }],
    tolerations: [{ operator: "Exists", effect: "" }],
    securityContext: { runAsNonRoot: true },
  },
  status: {
    phase: "Running",
    startTime: "2024-05-01T12:00:02Z",
    conditions: [
      { type: "PodScheduled", status: "True", lastTransitionTime: "2024-05-01T12:00:01Z" },
      { type: "Ready", status: "True", lastTransitionTime: "2024-05-01T12:00:05Z" },
    ],
    podIP: "10.0.0.7",
  },
};

describe("Pod codec", () => {
  it("decodes a live pod: units, the API server's defaults (a probe's timing too, its handler dropped), status times, unknown fields ignored", () => {
    const t0 = Date.UTC(2024, 4, 1, 12, 0, 0);
    expect(decodedPod(running)).toEqual({
      kind: "Pod",
      metadata: { name: "web-0", namespace: "shop", uid: "u-1", labels: { app: "web" }, creationMs: t0, ownerReferences: [{ kind: "ReplicaSet", name: "web-5d", uid: "rs-1", controller: true, blockOwnerDeletion: true }] },
      spec: {
        schedulerName: "default-scheduler",
        nodeName: "node-a",
        containers: [
          {
            name: "web",
            image: "nginx",
            requests: { cpu: 250, memory: 2 ** 30 },
            limits: { cpu: 1000, memory: 2 ** 30 },
            ports: [{ containerPort: 80 }],
            livenessProbe: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          },
        ],
        tolerations: [{ operator: "Exists" }],
      },
      status: { phase: "Running", ready: true, scheduledMs: t0 + 1000, startedMs: t0 + 2000, readyMs: t0 + 5000 },
    });
  });

  it("keeps a preStop sleep action's length and a probe's own grace period; other hook handlers are dropped", () => {
    const p = decodedPod({
      metadata: { name: "p" },
      spec: { containers: [{ name: "c", lifecycle: { preStop: { sleep: { seconds: 8 } } }, livenessProbe: { exec: { command: ["true"] }, terminationGracePeriodSeconds: 10 } }, { name: "d", lifecycle: { preStop: { exec: { command: ["drain"] } } } }] },
    });
    expect(p.spec.containers[0]).toMatchObject({ preStopSleepSeconds: 8, livenessProbe: { terminationGracePeriodSeconds: 10, periodSeconds: 10 } });
    expect(p.spec.containers[1]?.preStopSleepSeconds).toBeUndefined();
  });

  it("a manifest without namespace or status: default namespace, Pending, not ready, nulls absent", () => {
    const p = decodedPod({ metadata: { name: "p", creationTimestamp: null, namespace: "" }, spec: { containers: [{ name: "c", resources: null }], nodeName: "" } });
    expect(p.metadata).toEqual({ name: "p", namespace: "default", uid: "", labels: {}, creationMs: 0 });
    expect(p.spec).toEqual({ schedulerName: "default-scheduler", containers: [{ name: "c", requests: {}, limits: {} }] });
    expect(p.status).toEqual({ phase: "Pending", ready: false });
  });

  it("bad values are problems at their path", () => {
    const bad = structuredClone(running) as typeof running & { spec: { priority?: unknown } };
    bad.spec.priority = "high";
    expect(decodeObject(PodCodec, bad)).toEqual(Result.fail({ path: ["spec", "priority"], message: 'expected a number, got "high"', pointAt: "value" }));
    const over = structuredClone(running);
    over.spec.containers[0]!.resources.requests.cpu = "2";
    expect(decodeObject(PodCodec, over)).toEqual(
      Result.fail({ path: ["spec", "containers", 0, "resources", "requests", "cpu"], message: "the request must not exceed the limit (1)", pointAt: "value" }),
    );
    const liveness = structuredClone(running) as unknown as { spec: { containers: { livenessProbe: unknown }[] } };
    liveness.spec.containers[0]!.livenessProbe = { httpGet: { port: 80 }, successThreshold: 2 };
    expect(decodeObject(PodCodec, liveness)).toEqual(Result.fail({ path: ["spec", "containers", 0, "livenessProbe", "successThreshold"], message: "must be 1", pointAt: "value" }));
    liveness.spec.containers[0]!.livenessProbe = { httpGet: { port: 80 } };
    (liveness.spec.containers[0] as { readinessProbe?: unknown }).readinessProbe = { terminationGracePeriodSeconds: 5 };
    expect(decodeObject(PodCodec, liveness)).toEqual(
      Result.fail({ path: ["spec", "containers", 0, "readinessProbe", "terminationGracePeriodSeconds"], message: "must not be set for readinessProbes", pointAt: "value" }),
    );
    expect(decodeObject(PodCodec, { metadata: { name: "p" }, spec: { containers: [] } })).toEqual(
      Result.fail({ path: ["spec", "containers"], message: "expected at least one container, got a list of 0 items", pointAt: "value" }),
    );
    expect(decodeObject(PodCodec, { metadata: { name: "p" } })).toEqual(Result.fail({ path: ["spec"], message: 'missing required field "spec"', pointAt: "value" }));
    expect(decodeObject(PodCodec, { kind: "Node", metadata: { name: "p" }, spec: { containers: [{ name: "c" }] } })).toMatchObject(Result.fail({ path: ["kind"] }));
  });

  it("encodes Kubernetes JSON: quantities as text, times as RFC 3339, owner apiVersion restored", () => {
    const json = encodeObject(PodCodec, decodedPod(running)) as typeof running;
    expect(json.apiVersion).toBe("v1");
    expect(json.metadata.ownerReferences).toEqual([{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d", uid: "rs-1", controller: true, blockOwnerDeletion: true }]);
    expect(json.spec.containers[0]?.resources).toEqual({ requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } });
    expect(json.status.conditions).toEqual(running.status.conditions);
    expect(json.status.startTime).toBe("2024-05-01T12:00:02Z");
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it("containerStatuses as the kubelet reports them: restarts, CrashLoopBackOff waiting, the previous run's termination; an ended pod's own exit in state", () => {
    const crashing = decodedPod(running);
    crashing.status = { ...crashing.status, ready: false, readyMs: undefined, restartCount: 3, waitingReason: "CrashLoopBackOff", lastExitCode: 137, lastTerminationReason: "OOMKilled" };
    const json = encodeObject(PodCodec, crashing) as unknown as { status: { containerStatuses: unknown[] } };
    expect(json.status.containerStatuses[0]).toEqual({ name: "web", ready: false, restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 137, reason: "OOMKilled" } } });
    expect(decodedPod(json).status).toEqual(crashing.status);
    const done = { ...crashing, status: { phase: "Failed" as const, ready: false, lastExitCode: 1, lastTerminationReason: "Error" } };
    expect((encodeObject(PodCodec, done) as unknown as { status: { containerStatuses: { state: unknown }[] } }).status.containerStatuses[0]?.state).toEqual({ terminated: { exitCode: 1, reason: "Error" } });
  });

  it("a pod the scheduler could not place: reason and message on PodScheduled=False (as the scheduler writes them), not status.reason", () => {
    const pending = { ...decodedPod(running), spec: { ...decodedPod(running).spec, nodeName: undefined } };
    pending.status = { phase: "Pending", ready: false, reason: "Unschedulable", message: "0/3 nodes are available: 3 Insufficient cpu." };
    const json = encodeObject(PodCodec, pending) as unknown as { status: { reason?: string; conditions: unknown[] } };
    expect(json.status.reason).toBeUndefined();
    expect(json.status.conditions[0]).toEqual({ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 Insufficient cpu." });
    expect(decodedPod(json).status).toEqual(pending.status);
  });

  it("the index picks the Pod codec by kind, and refuses another apiVersion", () => {
    const r = decodeKube(running);
    expect(Result.isSuccess(r) && r.success.outcome === "object" && r.success.object.kind).toBe("Pod");
    expect(decodeKube({ ...running, apiVersion: "v2" })).toEqual(Result.fail({ path: ["apiVersion"], message: 'expected apiVersion "v1" for a Pod, got "v2"', pointAt: "value" }));
    expect(decodeKube({ kind: "ServiceAccount", metadata: { name: "web" } })).toEqual(Result.succeed({ outcome: "not modelled", header: { kind: "ServiceAccount", metadata: { name: "web" } } }));
  });

  test.prop([pod])("encode then decode gives the same model Pod", (p) => {
    expect(decodedPod(encodeKube(p))).toEqual(p);
  });

  test.prop([podTemplate])("encode then decode gives the same pod template", (t) => {
    expect(decodeObject(PodTemplateCodec, encodeObject(PodTemplateCodec, t))).toEqual(Result.succeed(t));
  });

  test.prop([fc.constantFrom("Pending", "Running")])("decode ∘ encode ∘ decode = decode on a real pod", (phase) => {
    const once = decodedPod({ ...running, status: { ...running.status, phase } });
    expect(decodedPod(encodeObject(PodCodec, once))).toEqual(once);
  });
});
