/**
 * kubectl get pods' Ready / Status / Restarts for pods with init containers, as printPod
 * (pkg/printers/internalversion/printers.go) prints them from the Pod codec's initContainerStatuses.
 */
import { expect, test } from "vitest";
import { tableOf } from "../../src/cli/serve-table.ts";
import { encodeObject } from "../../src/k8s/decode.ts";
import { PodCodec } from "../../src/k8s/pod.ts";
import type { InitStatus, Pod, PodPhase } from "../../src/model/objects.ts";
import type { KubeJson } from "../../src/cli/serve-resources.ts";

function pod(phase: PodPhase, init: InitStatus, waitingReason?: string): KubeJson {
  const p: Pod = {
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
    status: { phase, ready: phase === "Running", scheduledMs: 0, startedMs: 0, init, ...(waitingReason === undefined ? {} : { waitingReason }) },
  };
  return JSON.parse(JSON.stringify(encodeObject(PodCodec, p))) as KubeJson;
}

function row(o: KubeJson): { ready: unknown; status: unknown; restarts: unknown } {
  const table = tableOf("Pod", [o], 60_000, "1") as { columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
  const cell = (name: string) => table.rows[0]!.cells[table.columnDefinitions.findIndex((c) => c.name === name)];
  return { ready: cell("Ready"), status: cell("Status"), restarts: cell("Restarts") };
}

test("the sidecar started, the init container running: Init:1/2, the sidecar counted ready among two", () => {
  expect(row(pod("Pending", { done: 1, running: true }, "PodInitializing"))).toEqual({ ready: "1/2", status: "Init:1/2", restarts: 0 });
});

test("nothing started yet: Init:0/2", () => {
  expect(row(pod("Pending", { done: 0 }, "PodInitializing"))).toMatchObject({ ready: "0/2", status: "Init:0/2" });
});

test("a crash-looping init container: Init:CrashLoopBackOff with its restarts", () => {
  expect(row(pod("Pending", { done: 1, waitingReason: "CrashLoopBackOff", restartCount: 4, lastExitCode: 1 }, "PodInitializing"))).toEqual({ ready: "1/2", status: "Init:CrashLoopBackOff", restarts: 4 });
});

test("failed by its init container: Init:Error", () => {
  expect(row(pod("Failed", { done: 1, lastExitCode: 1 }))).toMatchObject({ status: "Init:Error" });
});

test("initialized: the app's status, the sidecar still among the containers", () => {
  expect(row(pod("Running", { done: 2 }))).toEqual({ ready: "2/2", status: "Running", restarts: 0 });
});
