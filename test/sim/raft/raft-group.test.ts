import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/sim/engine.ts";
import { Prng } from "../../../src/model/prng.ts";
import { etcdGroupParams, RaftGroup, type RaftGroupParams } from "../../../src/sim/raft/raft-group.ts";
import { NullStateMachine } from "../../../src/sim/raft/state-machine.ts";
import { KvStateMachine, encodeKvCommand } from "../../../src/sim/raft/kv-state-machine.ts";

function makeGroup(seed: number, overrides: Partial<RaftGroupParams> = {}, memberCount = 3) {
  const engine = new Engine();
  const params = { ...etcdGroupParams(memberCount), ...overrides };
  const sms: KvStateMachine[] = [];
  const group = new RaftGroup(engine, Prng.fromSeed(seed), params, () => {
    const sm = new KvStateMachine();
    sms.push(sm);
    return sm;
  });
  group.start();
  const runFor = (ms: number) => engine.runUntil({ atMsMax: engine.nowMs + ms, stepsMax: 5_000_000 });
  return { engine, group, sms, runFor };
}

const put = (clientId: number, opId: number, key: string, value: string) => encodeKvCommand({ clientId, opId, kind: "put", key, value });

describe("RaftGroup", () => {
  it("elects one leader within a few election timeouts and replicates to every member", () => {
    const { engine, group, sms, runFor } = makeGroup(1);
    runFor(5000);
    const leader = group.leaderId();
    expect(leader).not.toBe(0);
    for (let i = 1; i <= 50; i++) expect(group.member(leader).propose(put(0, i, "k", `v${i}`), engine.nowMs)).toBe("ok");
    runFor(1000);
    expect(group.converged()).toBe(true);
    expect(sms.map((sm) => sm.get("k"))).toEqual(["v50", "v50", "v50"]);
    expect(group.checkers?.violations).toEqual([]);
    expect(group.checkers?.checks).toBeGreaterThan(50);
  });

  it("a follower forwards proposals to the leader", () => {
    const { engine, group, sms, runFor } = makeGroup(2);
    runFor(5000);
    const follower = group.members.find((m) => m.role === "follower");
    expect(follower).toBeDefined();
    expect(follower?.propose(put(0, 1, "k", "from-follower"), engine.nowMs)).toBe("ok");
    runFor(500);
    expect(sms.map((sm) => sm.get("k"))).toEqual(["from-follower", "from-follower", "from-follower"]);
  });

  it("replaces a crashed leader, and the restarted member catches up from its disk", () => {
    const { engine, group, runFor } = makeGroup(3);
    runFor(5000);
    const old = group.leaderId();
    for (let i = 1; i <= 20; i++) group.member(old).propose(put(0, i, "k", `v${i}`), engine.nowMs);
    runFor(500);
    const crashedAtMs = engine.nowMs;
    group.crash(old);
    runFor(5000);
    const fresh = group.leaderId();
    expect(fresh).not.toBe(0);
    expect(fresh).not.toBe(old);
    expect(group.member(fresh).term).toBeGreaterThan(1);
    expect(engine.nowMs - crashedAtMs).toBeGreaterThan(0);
    for (let i = 21; i <= 30; i++) group.member(fresh).propose(put(0, i, "k", `v${i}`), engine.nowMs);
    group.restart(old);
    runFor(3000);
    expect(group.member(old).appliedIndex).toBe(group.member(fresh).commit);
    expect(group.converged()).toBe(true);
    expect(group.checkers?.violations).toEqual([]);
  });

  it("a crash loses the writes a member had not yet synced", () => {
    const { engine, group, runFor } = makeGroup(4);
    runFor(5000);
    const leader = group.leaderId();
    const victim = group.members.find((m) => m.id !== leader)!;
    group.slowDisk(victim.id, 1000, 60_000);
    for (let i = 1; i <= 5; i++) group.member(leader).propose(put(0, i, "k", `v${i}`), engine.nowMs);
    runFor(300);
    const durableBefore = victim.image.lastIndex;
    expect(victim.disk.pendingWrites).toBeGreaterThan(0);
    expect(group.member(leader).commit).toBeGreaterThan(durableBefore); // the others committed without it
    group.crash(victim.id);
    expect(victim.disk.stats.lostOnCrash).toBeGreaterThan(0);
    expect(victim.image.lastIndex).toBe(durableBefore);
    group.slowDisk(victim.id, 1, 0);
    group.restart(victim.id);
    runFor(3000);
    expect(victim.appliedIndex).toBe(group.member(leader).commit);
    expect(group.checkers?.violations).toEqual([]);
  });

  it("a member whose clock runs fast ticks proportionally more", () => {
    const { group, runFor } = makeGroup(5);
    group.driftClock(2, 1.5);
    const before = group.members.map((m) => m.ticks);
    runFor(20_000);
    const ticks = group.members.map((m, i) => m.ticks - (before[i] as number));
    expect(ticks[0]).toBeGreaterThanOrEqual(198);
    expect(ticks[0]).toBeLessThanOrEqual(202);
    expect(ticks[1]).toBeGreaterThanOrEqual(296);
    expect(ticks[1]).toBeLessThanOrEqual(302);
  });

  it("a fast-clocked follower wins the election after the leader crashes", () => {
    for (const seed of [10, 11, 12, 13]) {
      const { group, runFor } = makeGroup(seed, { preVote: false, checkQuorum: false });
      runFor(5000);
      const leader = group.leaderId();
      const fast = group.members.find((m) => m.id !== leader)!;
      group.driftClock(fast.id, 3);
      group.crash(leader);
      runFor(5000);
      expect(group.leaderId()).toBe(fast.id);
    }
  });

  it("a partitioned minority cannot elect a leader; the majority keeps one", () => {
    const { group, runFor } = makeGroup(6, {}, 5);
    runFor(5000);
    const leader = group.leaderId();
    const others = group.members.map((m) => m.id).filter((id) => id !== leader);
    const minority = [leader, others[0] as number];
    const majority = others.slice(1);
    group.network.partition([minority, majority]);
    runFor(10_000);
    const leaders = group.members.filter((m) => m.up && m.role === "leader").map((m) => m.id);
    expect(leaders).toHaveLength(1); // CheckQuorum made the old leader step down
    expect(majority).toContain(leaders[0]);
    expect(group.checkers?.violations).toEqual([]);
  });

  it("snapshots and compaction keep a lagging member recoverable", () => {
    const { engine, group, sms, runFor } = makeGroup(7, { snapshotEveryEntries: 20, snapshotCatchUpEntries: 5 });
    runFor(5000);
    const leader = group.leaderId();
    const lagging = group.members.find((m) => m.id !== leader)!;
    group.network.isolate(lagging.id);
    for (let i = 1; i <= 100; i++) group.member(leader).propose(put(0, i, `k${i % 7}`, `v${i}`), engine.nowMs);
    runFor(2000);
    expect(group.member(leader).storage!.firstIndex()).toBeGreaterThan(lagging.appliedIndex + 1);
    group.network.heal();
    runFor(5000);
    expect(lagging.appliedIndex).toBe(group.member(leader).commit);
    expect(sms.map((sm) => sm.snapshot())).toEqual([sms[0]!.snapshot(), sms[0]!.snapshot(), sms[0]!.snapshot()]);
    expect(group.checkers?.violations).toEqual([]);
  });

  it("runs a single-member group", () => {
    const { engine, group, runFor } = makeGroup(8, {}, 1);
    runFor(3000);
    expect(group.leaderId()).toBe(1);
    group.member(1).propose(put(0, 1, "k", "v"), engine.nowMs);
    runFor(100);
    expect(group.converged()).toBe(true);
  });

  it("host-driven election timers (paper benchmark mode) elect a leader with a 1 ms tick", () => {
    const { group, runFor } = makeGroup(9, { tickMs: 1, electionTicks: 150, heartbeatTicks: 75, preVote: false, checkQuorum: false, hostElectionTimeoutMs: { minMs: 150, maxMs: 300 } }, 5);
    runFor(2000);
    expect(group.leaderId()).not.toBe(0);
    const old = group.leaderId();
    group.crash(old);
    runFor(2000);
    expect(group.leaderId()).not.toBe(0);
    expect(group.leaderId()).not.toBe(old);
  });
});

describe("NullStateMachine", () => {
  it("applies nothing and snapshots to an empty image", () => {
    const sm = new NullStateMachine();
    expect(sm.snapshot()).toBe("");
  });
});
