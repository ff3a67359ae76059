import { describe, expect, test } from "vitest";
import { InteractionEnv } from "./env.ts";
import { runCommand } from "./script.ts";

/**
 * Lease reads trust clocks; ReadIndex does not. Leader 1 is cut off from 2 and 3. Its clock runs
 * `slowdown` times slower (it ticks once per `slowdown` ticks of the others; ticks in a round run
 * leader first). 2 and 3 elect 2 and commit "new". Whenever 1 still believes it leads, a client
 * reads from it. With a lease the read is answered from 1's stale commit index; with the safe
 * ReadIndex it is never answered while 1 cannot reach a quorum.
 */
interface Outcome {
  staleAnswers: number;
  answers: number;
  newCommittedAt: number;
}

function run(readOnly: "lease" | "safe", slowdown: number): Outcome {
  const env = new InteractionEnv();
  env.logLevel = "none";
  const cmd = (c: string) => runCommand(env, c);
  cmd(`add-nodes 3 checkquorum=true read-only=${readOnly}`);
  cmd("campaign 1");
  cmd("stabilize");
  cmd("partition 1 | 2 3");
  cmd("set-randomized-election-timeout 3 timeout=15"); // 3 lets 2 campaign first (no split vote)
  let newCommittedAt = 0;
  let answers = 0;
  let staleAnswers = 0;
  for (let round = 1; round <= 60; round++) {
    if (round % slowdown === 0) env.get(1).node.tick();
    env.get(2).node.tick();
    env.get(3).node.tick();
    cmd("stabilize 2 3");
    const n2 = env.get(2).node.raft;
    if (n2.role === "leader" && newCommittedAt === 0) {
      cmd("propose 2 new");
      cmd("stabilize 2 3");
      newCommittedAt = n2.log.committed;
    }
    if (newCommittedAt > 0 && env.get(1).node.raft.role === "leader") {
      cmd(`read-index 1 read-${round}`);
      const n1 = env.get(1);
      if (n1.node.hasReady()) {
        const rd = n1.node.ready();
        for (const rs of rd.readStates) {
          answers++;
          if (rs.index < newCommittedAt) staleAnswers++; // "new" is invisible at that index
        }
        n1.node.advance();
      }
      env.queue = env.queue.filter((m) => m.from !== 1); // 1's heartbeats cannot cross anyway
    }
  }
  return { staleAnswers, answers, newCommittedAt };
}

describe("lease reads versus ReadIndex under clock drift", () => {
  test.each([2, 3, 5])("lease read goes stale when the leader's clock is %ix slow", (slowdown) => {
    const outcome = run("lease", slowdown);
    expect(outcome.newCommittedAt).toBeGreaterThan(2);
    expect(outcome.staleAnswers).toBeGreaterThan(0);
  });

  // A finding, kept as a test so it cannot change silently: even with accurate clocks the lease
  // (as etcd-raft implements it) outlives the followers' patience. The leader checks its quorum
  // once per election timeout over the *previous* window, so it may step down up to two timeouts
  // after its last contact, while the followers can elect a new leader after one.
  test("even with accurate clocks the CheckQuorum window lets a lease read go stale", () => {
    const outcome = run("lease", 1);
    expect(outcome.newCommittedAt).toBeGreaterThan(2);
    expect(outcome.staleAnswers).toBeGreaterThan(0);
  });

  test.each([1, 2, 3, 5])("ReadIndex is never answered by the cut-off leader (slowdown %i)", (slowdown) => {
    const outcome = run("safe", slowdown);
    expect(outcome.newCommittedAt).toBeGreaterThan(2);
    expect(outcome.answers).toBe(0);
  });
});
