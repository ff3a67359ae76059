/**
 * The Deployment's status, conditions and revision history as upstream computes them:
 * progress.go (syncRolloutStatus, requeueStuckDeployment — the cases of upstream's
 * TestRequeueStuckDeployment), util/deployment_util.go (SetDeploymentCondition,
 * DeploymentComplete / Progressing / TimedOut), sync.go (calculateStatus, cleanupDeployment) and
 * kubectl's rollback (deploymentRevision, the messages it prints).
 */
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from "../../src/model/objects.ts";
import { maxRevision, revisionAnnotation, revisionOf, rollbackChoice, setsBeyondHistory } from "../../src/policies/controllers/deployment-history.ts";
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  newCondition,
  rolloutStatus,
  setCondition,
  stuckCheckAfterMs,
} from "../../src/policies/controllers/deployment-status.ts";

const template = (image: string, hash?: string) => ({
  labels: { app: "web", ...(hash !== undefined ? { "pod-template-hash": hash } : {}) },
  spec: { containers: [{ name: "web", image }] },
}) as unknown as Deployment["spec"]["template"];

function deployment(replicas: number, status: Partial<DeploymentStatus> = {}, spec: Partial<Deployment["spec"]> = {}): Deployment {
  return {
    kind: "Deployment",
    metadata: { name: "progress-test", namespace: "default", uid: "d", labels: {}, creationMs: 0 },
    spec: { replicas, selector: { matchLabels: { app: "web" } }, template: template("web:2"), strategy: { type: "Recreate", maxSurge: "25%", maxUnavailable: "25%" }, ...spec },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0, ...status },
  };
}

function rs(name: string, revision: number | undefined, replicas: number, available: number, creationMs = 0, image = "web:1"): ReplicaSet {
  return {
    kind: "ReplicaSet",
    metadata: { name, namespace: "default", uid: name, labels: {}, creationMs, ...(revision !== undefined ? { annotations: { [revisionAnnotation]: String(revision) } } : {}) },
    spec: { replicas, selector: { matchLabels: {} }, template: template(image, name) },
    status: { replicas, readyReplicas: available, availableReplicas: available },
  };
}

const progressing = (status: DeploymentCondition["status"], reason: string, lastUpdateMs: number): DeploymentCondition[] => [
  { type: "Progressing", status, reason, message: "", lastUpdateMs, lastTransitionMs: lastUpdateMs },
];

describe("requeueStuckDeployment (upstream TestRequeueStuckDeployment, progressDeadlineSeconds 60)", () => {
  // Upstream's answer is the wait before the deadline; the timer is set a second after it (enqueueAfter(after + 1s)), or now when under a second.
  const lastUpdateMs = 1_000_000;
  const stuck = progressing("True", "", lastUpdateMs);
  const failed = progressing("False", "ProgressDeadlineExceeded", 0);
  const cases: { name: string; d: Deployment; status: DeploymentStatus; nowMs: number; timerMs: number | undefined }[] = [
    { name: "no progressDeadlineSeconds specified", d: deployment(4, { replicas: 3, updatedReplicas: 3, availableReplicas: 2 }), status: { replicas: 3, updatedReplicas: 3, availableReplicas: 2, readyReplicas: 2 }, nowMs: 0, timerMs: undefined },
    { name: "no progressing condition found", d: deployment(4, { replicas: 3, updatedReplicas: 3, availableReplicas: 2 }, { progressDeadlineSeconds: 60 }), status: { replicas: 3, updatedReplicas: 3, availableReplicas: 2, readyReplicas: 2 }, nowMs: 0, timerMs: undefined },
    { name: "complete deployment does not need to be requeued", d: deployment(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 3, conditions: stuck }, { progressDeadlineSeconds: 60 }), status: { replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3 }, nowMs: lastUpdateMs, timerMs: undefined },
    { name: "already failed deployment does not need to be requeued", d: deployment(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 0, conditions: failed }, { progressDeadlineSeconds: 60 }), status: { replicas: 3, updatedReplicas: 3, availableReplicas: 0, readyReplicas: 0 }, nowMs: lastUpdateMs, timerMs: undefined },
    { name: "stuck deployment - 30s", d: deployment(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 1, conditions: stuck }, { progressDeadlineSeconds: 60 }), status: { replicas: 3, updatedReplicas: 3, availableReplicas: 1, readyReplicas: 1 }, nowMs: lastUpdateMs + 30_000, timerMs: 31_000 },
    { name: "stuck deployment - 1s", d: deployment(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 1, conditions: stuck }, { progressDeadlineSeconds: 60 }), status: { replicas: 3, updatedReplicas: 3, availableReplicas: 1, readyReplicas: 1 }, nowMs: lastUpdateMs + 59_000, timerMs: 2_000 },
    { name: "failed deployment - less than a second => now", d: deployment(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 1, conditions: stuck }, { progressDeadlineSeconds: 60 }), status: { replicas: 3, updatedReplicas: 3, availableReplicas: 1, readyReplicas: 1 }, nowMs: lastUpdateMs + 59_001, timerMs: 0 },
    { name: "failed deployment - now", d: deployment(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 1, conditions: stuck }, { progressDeadlineSeconds: 60 }), status: { replicas: 3, updatedReplicas: 3, availableReplicas: 1, readyReplicas: 1 }, nowMs: lastUpdateMs + 60_000, timerMs: 0 },
    { name: "failed deployment - 60s after deadline", d: deployment(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 1, conditions: stuck }, { progressDeadlineSeconds: 60 }), status: { replicas: 3, updatedReplicas: 3, availableReplicas: 1, readyReplicas: 1 }, nowMs: lastUpdateMs + 120_000, timerMs: 0 },
  ];
  for (const c of cases) test(c.name, () => expect(stuckCheckAfterMs(c.d, c.status, c.nowMs)).toBe(c.timerMs));
});

describe("DeploymentComplete / DeploymentProgressing / DeploymentTimedOut", () => {
  test("complete: every replica updated and available and no old one left", () => {
    const d = deployment(3);
    expect(deploymentComplete(d, { replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3 })).toBe(true);
    expect(deploymentComplete(d, { replicas: 4, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3 })).toBe(false);
    expect(deploymentComplete(d, { replicas: 3, updatedReplicas: 2, availableReplicas: 3, readyReplicas: 3 })).toBe(false);
    expect(deploymentComplete(d, { replicas: 3, updatedReplicas: 3, availableReplicas: 2, readyReplicas: 3 })).toBe(false);
  });
  test("progressing: more updated, fewer old, more ready or more available than the status written", () => {
    const d = deployment(3, { replicas: 4, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
    expect(deploymentProgressing(d, { replicas: 4, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 })).toBe(true);
    expect(deploymentProgressing(d, { replicas: 3, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })).toBe(true);
    expect(deploymentProgressing(d, { replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 2 })).toBe(true);
    expect(deploymentProgressing(d, { replicas: 4, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 3 })).toBe(true);
    expect(deploymentProgressing(d, { replicas: 4, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })).toBe(false);
  });
  test("timed out only strictly after the deadline, never once NewReplicaSetAvailable", () => {
    const d = deployment(3, {}, { progressDeadlineSeconds: 60 });
    const at = (reason: string) => ({ replicas: 3, readyReplicas: 1, availableReplicas: 1, conditions: progressing("True", reason, 0) });
    expect(deploymentTimedOut(d, at("ReplicaSetUpdated"), 60_000)).toBe(false);
    expect(deploymentTimedOut(d, at("ReplicaSetUpdated"), 60_001)).toBe(true);
    expect(deploymentTimedOut(d, at("NewReplicaSetAvailable"), 600_000)).toBe(false);
    expect(deploymentTimedOut(deployment(3), at("ReplicaSetUpdated"), 600_000)).toBe(false);
  });
});

describe("SetDeploymentCondition", () => {
  test("same status and reason changes nothing; same status keeps the transition time; a change moves it", () => {
    const status: DeploymentStatus = { replicas: 0, readyReplicas: 0, availableReplicas: 0 };
    setCondition(status, newCondition("Available", "True", "MinimumReplicasAvailable", "a", 10));
    setCondition(status, newCondition("Available", "True", "MinimumReplicasAvailable", "b", 20));
    expect(status.conditions).toEqual([{ type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "a", lastUpdateMs: 10, lastTransitionMs: 10 }]);
    setCondition(status, newCondition("Available", "True", "Other", "c", 30));
    expect(status.conditions?.[0]).toMatchObject({ reason: "Other", lastUpdateMs: 30, lastTransitionMs: 10 });
    setCondition(status, newCondition("Available", "False", "MinimumReplicasUnavailable", "d", 40));
    expect(status.conditions?.[0]).toMatchObject({ status: "False", lastTransitionMs: 40 });
  });
});

describe("calculateStatus and syncRolloutStatus", () => {
  const rolling = (replicas: number, status: Partial<DeploymentStatus> = {}) =>
    ({ ...deployment(replicas, status, { progressDeadlineSeconds: 600 }), spec: { ...deployment(replicas).spec, progressDeadlineSeconds: 600, strategy: { type: "RollingUpdate" as const, maxSurge: "25%", maxUnavailable: "25%" } } });

  test("counts over all sets, updated from the new one; Available against replicas − maxUnavailable", () => {
    const d = rolling(10);
    const s = calculateStatus([rs("old", 1, 8, 8), rs("new", 2, 5, 0)], rs("new", 2, 5, 0), d, 1000);
    expect(s).toMatchObject({ replicas: 13, updatedReplicas: 5, availableReplicas: 8, unavailableReplicas: 5 });
    expect(s.conditions).toEqual([{ type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", lastUpdateMs: 1000, lastTransitionMs: 1000 }]);
    const low = calculateStatus([rs("old", 1, 7, 7)], undefined, d, 1000);
    expect(low.conditions?.[0]).toMatchObject({ status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." });
  });

  test("progress is ReplicaSetUpdated with a fresh update time; completion is NewReplicaSetAvailable; silence past the deadline times out", () => {
    const newRS = rs("web-new", 2, 5, 1);
    const d = rolling(10, { replicas: 13, updatedReplicas: 5, readyReplicas: 8, availableReplicas: 8, conditions: progressing("True", "ReplicaSetUpdated", 0) });
    const moved = rolloutStatus([rs("old", 1, 8, 8), newRS], newRS, d, 5000);
    expect(moved.conditions?.find((c) => c.type === "Progressing")).toMatchObject({ reason: "ReplicaSetUpdated", message: 'ReplicaSet "web-new" is progressing.', lastUpdateMs: 5000, lastTransitionMs: 0 });
    const still = rs("web-new", 2, 5, 0);
    expect(rolloutStatus([rs("old", 1, 8, 8), still], still, d, 600_000).conditions?.find((c) => c.type === "Progressing")?.reason).toBe("ReplicaSetUpdated");
    expect(rolloutStatus([rs("old", 1, 8, 8), still], still, d, 600_001).conditions?.find((c) => c.type === "Progressing")).toMatchObject({
      status: "False",
      reason: "ProgressDeadlineExceeded",
      message: 'ReplicaSet "web-new" has timed out progressing.',
    });
    const done = rs("web-new", 2, 10, 10);
    expect(rolloutStatus([rs("old", 1, 0, 0), done], done, d, 7000).conditions?.find((c) => c.type === "Progressing")).toMatchObject({
      status: "True",
      reason: "NewReplicaSetAvailable",
      message: 'ReplicaSet "web-new" has successfully progressed.',
    });
  });

  test("no progressDeadlineSeconds: no Progressing condition at all", () => {
    const d = deployment(2, { conditions: progressing("True", "ReplicaSetUpdated", 0) });
    const s = rolloutStatus([rs("a", 1, 2, 2)], rs("a", 1, 2, 2), d, 1);
    expect(s.conditions?.some((c) => c.type === "Progressing")).toBe(false);
  });
});

describe("revision history", () => {
  test("revisions from the annotation; unreadable ones count as none", () => {
    expect(revisionOf(rs("a", 7, 0, 0))).toBe(7);
    expect(revisionOf(rs("a", undefined, 0, 0))).toBe(0);
    expect(revisionOf({ metadata: { annotations: { [revisionAnnotation]: "x1" } } })).toBe(0);
    expect(maxRevision([rs("a", 3, 0, 0), rs("b", 9, 0, 0), rs("c", undefined, 0, 0)])).toBe(9);
  });

  fcTest.prop([fc.array(fc.record({ revision: fc.integer({ min: 1, max: 30 }), replicas: fc.nat({ max: 2 }) }), { maxLength: 15 }), fc.nat({ max: 6 })])(
    "cleanup deletes only scaled-to-zero sets, lowest revisions first, and never leaves fewer than the limit",
    (sets, limit) => {
      const old = sets.map((s, i) => rs(`rs-${i}`, s.revision, s.replicas, s.replicas, i));
      const d = deployment(1, {}, { revisionHistoryLimit: limit });
      const deleted = setsBeyondHistory(d, old);
      expect(deleted.every((r) => r.spec.replicas === 0 && r.status.replicas === 0)).toBe(true);
      expect(old.length - deleted.length).toBeGreaterThanOrEqual(Math.min(limit, old.length));
      const excess = Math.max(0, old.length - limit);
      const lowest = [...old].sort((a, b) => revisionOf(a) - revisionOf(b) || a.metadata.creationMs - b.metadata.creationMs).slice(0, excess);
      expect(new Set(deleted)).toEqual(new Set(lowest.filter((r) => r.spec.replicas === 0)));
      expect(setsBeyondHistory(deployment(1), old)).toEqual([]);
    },
  );

  test("rollout undo: the previous revision, or the one asked for, without its pod-template-hash; kubectl's refusals", () => {
    const sets = [rs("web-a", 1, 0, 0, 0, "web:1"), rs("web-b", 2, 0, 0, 1, "web:2"), rs("web-c", 3, 3, 3, 2, "web:3")];
    const d = { ...deployment(3), spec: { ...deployment(3).spec, template: template("web:3") } };
    expect(rollbackChoice(d, sets, 0)).toEqual({ outcome: "rollback", template: template("web:2"), revision: 2 });
    expect(rollbackChoice(d, sets, 1)).toEqual({ outcome: "rollback", template: template("web:1"), revision: 1 });
    expect(rollbackChoice(d, sets, 3)).toEqual({ outcome: "refused", message: "skipped rollback (current template already matches revision 3)" });
    expect(rollbackChoice(d, sets, 9)).toEqual({ outcome: "refused", message: "unable to find specified revision 9 in history" });
    expect(rollbackChoice(d, [sets[2] as ReplicaSet], 0)).toEqual({ outcome: "refused", message: 'no rollout history found for deployment "progress-test"' });
    expect(rollbackChoice({ ...d, spec: { ...d.spec, paused: true } }, sets, 0)).toEqual({
      outcome: "refused",
      message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    });
  });
});
