import { describe, expect, test } from "vitest";
import { ClusterSim, type Action } from "./cluster-sim.ts";

/**
 * A leader that sends MsgSnap holds the follower in StateSnapshot (sending it nothing) until the
 * transport reports the outcome (etcd's Node.ReportSnapshot) or the follower acks. A snapshot lost
 * on the way never yields an ack, so the host must report the failure; the cluster sim once did
 * not, and the group never converged. Replays of the shrunk property-test counterexample (fast-check
 * seed 1527941748); node indices are taken modulo the size (0 = n1, 2 = n3, 4 = n2).
 */

const options = { size: 3, preVote: false, checkQuorum: false, seed: 6950 };

/** n3 leads term 1, commits, compacts its log; n2 (which never got the entries) asks for more. */
const untilSnapshotSent: Action[] = [
  { t: "tickAll" },
  { t: "tickAll" },
  { t: "tickAll" },
  { t: "tick", node: 2 },
  { t: "tickAll" },
  { t: "ready", node: 2 },
  { t: "deliver", pick: 0 },
  { t: "ready", node: 0 },
  { t: "deliver", pick: 111 },
  { t: "ready", node: 2 },
  { t: "deliver", pick: 0 },
  { t: "deliver", pick: 0 },
  { t: "propose", node: 0, value: 0 },
  { t: "ready", node: 0 },
  { t: "deliver", pick: 322 },
  { t: "ready", node: 2 },
  { t: "compact", node: 2 },
  { t: "tick", node: 2 },
  { t: "ready", node: 2 },
  { t: "deliver", pick: 594 },
  { t: "ready", node: 4 },
  // n2's heartbeat response: n3 must catch it up from index 2, compacted away, so it sends MsgSnap.
  { t: "deliver", pick: 173 },
];

/** n2 crashes (nothing persisted), the MsgSnap leaves n3 and arrives at the dead n2. */
const snapshotToCrashedFollower: Action[] = [
  { t: "crash", node: 4, persist: "none" },
  { t: "ready", node: 2 },
  { t: "deliver", pick: 0 },
  { t: "deliver", pick: 0 },
  { t: "deliver", pick: 315 },
  { t: "tick", node: 0 },
];

function replay(actions: readonly Action[]): ClusterSim {
  const sim = new ClusterSim(options);
  for (const a of actions) sim.apply(a);
  return sim;
}

function progressOf(sim: ClusterSim, leaderId: number, followerId: number): { state: string; pendingSnapshot: number } {
  const leader = sim.members.find((m) => m.id === leaderId)!;
  expect(leader.node.raft.role).toBe("leader");
  const pr = leader.node.status().progress.find((p) => p.id === followerId);
  expect(pr).toBeDefined();
  return { state: pr!.state, pendingSnapshot: pr!.pendingSnapshot };
}

function expectConverged(sim: ClusterSim): void {
  const done = sim.converge(400);
  expect(done).not.toBeNull();
  const applied = sim.members.map((m) => m.applied);
  expect(new Set(applied).size).toBe(1);
  expect(sim.members.map((m) => m.stateMachine.join(","))).toEqual(["v0,probe", "v0,probe", "v0,probe"]);
}

describe("a lost snapshot is reported to the leader (etcd ReportSnapshot)", () => {
  test("sent to a crashed follower: the leader probes again and the group converges", () => {
    const sim = replay([...untilSnapshotSent, ...snapshotToCrashedFollower]);
    // The failure report moved n2 out of StateSnapshot (it would otherwise wait forever).
    expect(progressOf(sim, 3, 2)).toEqual({ state: "probe", pendingSnapshot: 0 });
    expectConverged(sim);
  });

  test("dropped on the wire: the same", () => {
    const sim = replay(untilSnapshotSent);
    sim.apply({ t: "ready", node: 2 });
    const at = sim.bus.findIndex((m) => m.type === "MsgSnap" && m.to === 2);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(progressOf(sim, 3, 2)).toEqual({ state: "snapshot", pendingSnapshot: 2 });
    sim.apply({ t: "drop", pick: at });
    expect(progressOf(sim, 3, 2)).toEqual({ state: "probe", pendingSnapshot: 0 });
    expectConverged(sim);
  });

  test("delivered: the leader resumes from the snapshot index before the follower's ack", () => {
    const sim = replay(untilSnapshotSent);
    sim.apply({ t: "ready", node: 2 });
    const at = sim.bus.findIndex((m) => m.type === "MsgSnap" && m.to === 2);
    sim.apply({ t: "deliver", pick: at });
    const leader = sim.members.find((m) => m.id === 3)!;
    const pr = leader.node.status().progress.find((p) => p.id === 2)!;
    expect(pr.state).toBe("probe");
    expect(pr.next).toBe(3); // right after the snapshot at index 2
    expectConverged(sim);
  });
});
