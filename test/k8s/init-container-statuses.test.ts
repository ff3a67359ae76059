/**
 * initContainerStatuses as kubectl's printPod reads them (Init:N/M, Init:CrashLoopBackOff,
 * Init:Error, PodInitializing), and the Pod codec's round trip of the init account.
 */
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { decodeObject, encodeObject } from "../../src/k8s/decode.ts";
import { PodCodec } from "../../src/k8s/pod.ts";
import type { InitStatus, Pod, PodPhase } from "../../src/model/objects.ts";

function pod(phase: PodPhase, init: InitStatus | undefined, waitingReason?: string): Pod {
  return {
    kind: "Pod",
    metadata: { name: "lg", namespace: "shop", uid: "u", labels: {}, creationMs: 0 },
    spec: {
      schedulerName: "default-scheduler",
      nodeName: "n1",
      containers: [{ name: "main", image: "app:1", requests: {}, limits: {} }],
      initContainers: [
        { name: "proxy", image: "proxy:1", requests: {}, limits: {}, restartPolicy: "Always" },
        { name: "wait", image: "wait:1", requests: {}, limits: {} },
      ],
    },
    status: { phase, ready: false, scheduledMs: 1000, ...(init === undefined ? {} : { init }), ...(waitingReason === undefined ? {} : { waitingReason }) },
  };
}

function wire(p: Pod): { initContainerStatuses?: { name: string; state: Record<string, { reason?: string; exitCode?: number }>; restartCount: number; started?: boolean }[]; containerStatuses?: { state: Record<string, { reason?: string }> }[] } {
  return (encodeObject(PodCodec, p) as unknown as { status: never }).status;
}

function roundTrip(p: Pod): Pod {
  const r = decodeObject(PodCodec, JSON.parse(JSON.stringify(encodeObject(PodCodec, p))));
  if (Result.isFailure(r)) throw new Error(JSON.stringify(r.failure));
  return r.success;
}

describe("initContainerStatuses", () => {
  it("the sidecar started and the second running: printPod's Init:1/2 (the first done, the second running), the app waiting PodInitializing", () => {
    const s = wire(pod("Pending", { done: 1, running: true }, "PodInitializing"));
    expect(s.initContainerStatuses?.map((c) => Object.keys(c.state))).toEqual([["running"], ["running"]]);
    expect(s.initContainerStatuses?.[0]?.started).toBe(true);
    expect(s.initContainerStatuses?.[1]?.started).toBeUndefined();
    expect(s.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: "PodInitializing" } });
  });

  it("a crash-looping init container: waiting CrashLoopBackOff with its restarts and last exit (Init:CrashLoopBackOff)", () => {
    const s = wire(pod("Pending", { done: 1, waitingReason: "CrashLoopBackOff", restartCount: 3, lastExitCode: 1 }, "PodInitializing"));
    const wait = s.initContainerStatuses?.[1];
    expect(wait).toMatchObject({ name: "wait", restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, reason: "Error" } } });
  });

  it("a pod failed by its init container: terminated Error (Init:Error)", () => {
    const s = wire(pod("Failed", { done: 1, lastExitCode: 2 }));
    expect(s.initContainerStatuses?.[1]?.state).toEqual({ terminated: { exitCode: 2, reason: "Error" } });
  });

  it("init not begun: the pod carries no initContainerStatuses (as before for pods without init containers)", () => {
    expect(wire(pod("Pending", undefined)).initContainerStatuses).toBeUndefined();
  });

  it("once Running every init container is done: the regular one Completed, the sidecar running", () => {
    const s = wire(pod("Running", { done: 2 }));
    expect(s.initContainerStatuses?.map((c) => c.state)).toEqual([{ running: {} }, { terminated: { exitCode: 0, reason: "Completed" } }]);
  });

  it.each([
    ["running", pod("Pending", { done: 1, running: true }, "PodInitializing")],
    ["crash loop", pod("Pending", { done: 0, waitingReason: "CrashLoopBackOff", restartCount: 2, lastExitCode: 1 }, "PodInitializing")],
    ["failed", pod("Failed", { done: 1, lastExitCode: 2 })],
    ["done", pod("Running", { done: 2, restartCount: 1, lastExitCode: 1 })],
  ])("round-trips the init account (%s)", (_name, p) => {
    expect(roundTrip(p).status.init).toEqual(p.status.init);
  });
});
