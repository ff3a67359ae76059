/** The init sequencing's pure parts: which init container is next, what one start does, what its exit means. */
import { describe, expect, test } from "vitest";
import type { Container, Pod, RestartPolicy } from "../../../src/model/objects.ts";
import { Prng } from "../../../src/model/prng.ts";
import type { ContainerBehaviorPlan } from "../../../src/sim/kubelet/container-behavior.ts";
import { initBehaviorOf, initExitOutcome, initRunOf, nextInitIndex } from "../../../src/sim/kubelet/init-containers.ts";

const c = (name: string, image: string, extra: Partial<Container> = {}): Container => ({ name, image, requests: {}, limits: {}, ...extra });
const sidecar = c("proxy", "proxy:1", { restartPolicy: "Always" });
const wait = c("wait", "wait:1");

function pod(initContainers: Container[], done?: number, restartPolicy?: RestartPolicy): Pod {
  return {
    kind: "Pod",
    metadata: { name: "p", namespace: "shop", uid: "", labels: { app: "p" }, creationMs: 0 },
    spec: { schedulerName: "default-scheduler", containers: [c("main", "app:1")], initContainers, ...(restartPolicy ? { restartPolicy } : {}) },
    status: { phase: "Pending", ready: false, ...(done === undefined ? {} : { init: { done } }) },
  };
}

const fixed = (ms: number) => ({ minMs: ms, maxMs: ms });
const prng = () => Prng.fromSeed(1);

describe("nextInitIndex", () => {
  test("the first not done, none once all are done or without init containers", () => {
    expect(nextInitIndex(pod([sidecar, wait]))).toBe(0);
    expect(nextInitIndex(pod([sidecar, wait], 1))).toBe(1);
    expect(nextInitIndex(pod([sidecar, wait], 2))).toBeUndefined();
    expect(nextInitIndex(pod([]))).toBeUndefined();
  });
});

describe("initBehaviorOf", () => {
  const rules: ContainerBehaviorPlan[] = [
    { name: "any", selector: {}, exit: { afterMs: fixed(1), exitCode: 1 } },
    { name: "other ns", namespace: "elsewhere", selector: {}, image: "wait:1", exit: { afterMs: fixed(2), exitCode: 2 } },
    { name: "wait", selector: { app: "p" }, image: "wait:1", exit: { afterMs: fixed(3), exitCode: 3 } },
  ];
  test("only a rule naming the init container's image, in its namespace and selector, applies", () => {
    expect(initBehaviorOf(pod([wait]), "wait:1", rules)?.name).toBe("wait");
    expect(initBehaviorOf(pod([wait]), "proxy:1", rules)).toBeUndefined();
    expect(initBehaviorOf(pod([wait]), undefined, rules)).toBeUndefined();
  });
});

describe("initRunOf", () => {
  test("without a rule an init container exits 0 at once; with one, as its exit says", () => {
    expect(initRunOf(wait, undefined, prng())).toEqual({ kind: "exit", afterMs: 0, exitCode: 0 });
    expect(initRunOf(wait, { name: "w", selector: {}, exit: { afterMs: fixed(7000), exitCode: 1 } }, prng())).toEqual({ kind: "exit", afterMs: 7000, exitCode: 1 });
  });

  test("a sidecar without a startup probe has started at once; with one, at the first passing tick after the app answers", () => {
    expect(initRunOf(sidecar, undefined, prng())).toEqual({ kind: "started", afterMs: 0 });
    const probe = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 30 };
    const probed = { ...sidecar, startupProbe: probe };
    expect(initRunOf(probed, { name: "s", selector: {}, readyAfter: fixed(25_000) }, prng())).toEqual({ kind: "started", afterMs: 30_000 });
  });

  test("a sidecar whose startup probe fails for good is killed (137); one exiting before it started exits", () => {
    const probe = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 };
    const probed = { ...sidecar, startupProbe: probe };
    expect(initRunOf(probed, { name: "s", selector: {}, readyAfter: "never" }, prng())).toMatchObject({ kind: "exit", exitCode: 137 });
    expect(initRunOf(probed, { name: "s", selector: {}, readyAfter: fixed(25_000), exit: { afterMs: fixed(5000), exitCode: 2 } }, prng())).toEqual({ kind: "exit", afterMs: 5000, exitCode: 2 });
  });
});

describe("initExitOutcome", () => {
  test("exit 0 → the next; a failure restarts under Always and OnFailure, fails the pod under Never", () => {
    expect(initExitOutcome(pod([wait]), wait, 0)).toBe("next");
    expect(initExitOutcome(pod([wait]), wait, 1)).toBe("restart");
    expect(initExitOutcome(pod([wait], 0, "OnFailure"), wait, 1)).toBe("restart");
    expect(initExitOutcome(pod([wait], 0, "Never"), wait, 1)).toBe("fail");
  });
  test("a sidecar that exits is restarted whatever its code and the pod's policy", () => {
    expect(initExitOutcome(pod([sidecar], 0, "Never"), sidecar, 0)).toBe("restart");
    expect(initExitOutcome(pod([sidecar], 0, "Never"), sidecar, 1)).toBe("restart");
  });
});
