import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Prng } from "../../../src/model/prng.ts";
import { Engine } from "../../../src/sim/engine.ts";
import { drawElectionTimeoutMs, type HostElectionTimeout } from "../../../src/sim/raft/host-election-timeout.ts";
import { inMicroseconds, MICROS_PER_MS } from "../../../src/sim/raft/microsecond-world.ts";
import { etcdGroupParams, RaftGroup, type RaftGroupParams } from "../../../src/sim/raft/raft-group.ts";
import { NullStateMachine } from "../../../src/sim/raft/state-machine.ts";
import type { Message, NodeId } from "../../../src/raft/types.ts";

describe("drawElectionTimeoutMs", () => {
  test.prop([fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 0, max: 2 ** 31 })])(
    "stays in [min, max] on a multiple of the draw step above min",
    (minMs, spanMs, drawStepMs, seed) => {
      const prng = Prng.fromSeed(seed);
      const timeout: HostElectionTimeout = { minMs, maxMs: minMs + spanMs, drawStepMs };
      for (let i = 0; i < 20; i++) {
        const drawn = drawElectionTimeoutMs(prng, timeout);
        expect(drawn).toBeGreaterThanOrEqual(minMs);
        expect(drawn).toBeLessThanOrEqual(minMs + spanMs);
        if (drawn !== minMs + spanMs) expect((drawn - minMs) % drawStepMs).toBe(0);
      }
    },
  );

  test.prop([fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 2 ** 31 })])(
    "adds a wake-up delay of at most wakeDelayMsMax",
    (minMs, wakeDelayMsMax, seed) => {
      const prng = Prng.fromSeed(seed);
      for (let i = 0; i < 20; i++) {
        const drawn = drawElectionTimeoutMs(prng, { minMs, maxMs: minMs, wakeDelayMsMax });
        expect(drawn - minMs).toBeGreaterThanOrEqual(0);
        expect(drawn - minMs).toBeLessThanOrEqual(wakeDelayMsMax);
      }
    },
  );

  it("draws whole steps as LogCabin's lround(uniform): 150–151 gives 150 or 151, ends of 150–155 half as often", () => {
    const prng = Prng.fromSeed(3);
    const narrow = new Map<number, number>();
    const wide = new Map<number, number>();
    for (let i = 0; i < 20_000; i++) {
      const a = drawElectionTimeoutMs(prng, { minMs: 150_000, maxMs: 151_000, drawStepMs: 1000 });
      narrow.set(a, (narrow.get(a) ?? 0) + 1);
      const b = drawElectionTimeoutMs(prng, { minMs: 150, maxMs: 155, drawStepMs: 1 });
      wide.set(b, (wide.get(b) ?? 0) + 1);
    }
    expect([...narrow.keys()].sort()).toEqual([150_000, 151_000]);
    expect(Math.abs((narrow.get(150_000) ?? 0) - 10_000)).toBeLessThan(400);
    expect([...wide.keys()].sort()).toEqual([150, 151, 152, 153, 154, 155]);
    expect(Math.abs((wide.get(150) ?? 0) - 2_000)).toBeLessThan(250); // 10 %
    expect(Math.abs((wide.get(152) ?? 0) - 4_000)).toBeLessThan(350); // 20 %
  });

  it("returns min for an empty range and draws continuously (every unit) without a step", () => {
    const prng = Prng.fromSeed(4);
    expect(drawElectionTimeoutMs(prng, { minMs: 150, maxMs: 150 })).toBe(150);
    const seen = new Set<number>();
    for (let i = 0; i < 5_000; i++) seen.add(drawElectionTimeoutMs(prng, { minMs: 0, maxMs: 100 }));
    expect(seen.size).toBe(101);
  });
});

describe("inMicroseconds", () => {
  test.prop([fc.double({ min: 0.01, max: 50, noNaN: true }), fc.double({ min: 0.01, max: 50, noNaN: true }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 300 })])(
    "multiplies every duration by 1000 and leaves counts and rates alone",
    (latencyMedianMs, fsyncMedianMs, minMs, spanMs) => {
      const base: RaftGroupParams = {
        ...etcdGroupParams(3),
        link: { ...etcdGroupParams(3).link, latencyMedianMs, reorderDelayMsMax: 3, lossRate: 0.01 },
        disk: { ...etcdGroupParams(3).disk, fsyncMedianMs },
        hostElectionTimeoutMs: { minMs, maxMs: minMs + spanMs, drawStepMs: 1, wakeDelayMsMax: 0.1 },
      };
      const us = inMicroseconds(base);
      expect(us.tickMs).toBe(base.tickMs * MICROS_PER_MS);
      expect(us.electionTicks).toBe(base.electionTicks);
      expect(us.heartbeatTicks).toBe(base.heartbeatTicks);
      expect(us.link.latencyMedianMs).toBeCloseTo(latencyMedianMs * 1000, 6);
      expect(us.link.latencyMsMax).toBe(base.link.latencyMsMax * 1000);
      expect(us.link.reorderDelayMsMax).toBe(3000);
      expect(us.link.lossRate).toBe(0.01);
      expect(us.link.latencySigma).toBe(base.link.latencySigma);
      expect(us.disk.fsyncMedianMs).toBeCloseTo(fsyncMedianMs * 1000, 6);
      expect(us.disk.fsyncMsMax).toBe(base.disk.fsyncMsMax * 1000);
      expect(us.hostElectionTimeoutMs).toEqual({ minMs: minMs * 1000, maxMs: (minMs + spanMs) * 1000, drawStepMs: 1000, wakeDelayMsMax: 100 });
    },
  );

  it("runs a group with 0.1 ms hops and 0.2 ms writes: it elects, and a write commits within 0.7 ms (write, hop, write, hop)", () => {
    const engine = new Engine();
    const params = inMicroseconds({
      ...etcdGroupParams(3),
      link: { ...etcdGroupParams(3).link, latencyMedianMs: 0.1, latencySigma: 0, latencyMsMin: 0 },
      disk: { ...etcdGroupParams(3).disk, fsyncMedianMs: 0.2, fsyncSigma: 0, fsyncMsMin: 0 },
    });
    const group = new RaftGroup(engine, Prng.fromSeed(9), params, () => new NullStateMachine());
    group.start();
    engine.runUntil({ atMsMax: 5_000 * MICROS_PER_MS, stepsMax: 10_000_000 });
    const leader = group.leaderId();
    expect(leader).not.toBe(0);
    const proposedAtUs = engine.nowMs;
    expect(group.member(leader).propose("x", engine.nowMs)).toBe("ok");
    engine.runUntil({ atMsMax: proposedAtUs + 500, stepsMax: 1_000_000 }); // 500 µs: the follower's write is still running
    expect(group.member(leader).commit).toBeLessThan(group.member(leader).image.lastIndex);
    engine.runUntil({ atMsMax: proposedAtUs + 700, stepsMax: 1_000_000 });
    expect(group.member(leader).commit).toBe(group.member(leader).image.lastIndex);
    expect(group.checkers?.violations).toEqual([]);
  });
});

/** A 3-member group with constant 2 ms hops, 1 ms writes and a host timer of exactly 150 ms. */
function timerGroup(timeout: RaftGroupParams["hostElectionTimeoutMs"] = { minMs: 150, maxMs: 150 }) {
  const engine = new Engine();
  const base = etcdGroupParams(3);
  const params: RaftGroupParams = {
    ...base,
    tickMs: 1,
    heartbeatTicks: 75,
    electionTicks: 150,
    preVote: false,
    checkQuorum: false,
    link: { ...base.link, latencyMedianMs: 2, latencySigma: 0, latencyMsMin: 0 },
    disk: { ...base.disk, fsyncMedianMs: 1, fsyncSigma: 0, fsyncMsMin: 0 },
    hostElectionTimeoutMs: timeout,
  };
  const group = new RaftGroup(engine, Prng.fromSeed(21), params, () => new NullStateMachine());
  const deliveries: { to: NodeId; message: Message; atMs: number }[] = [];
  /** Each member's deadline right after every event it took part in. */
  const deadlinesAfterDelivery: { to: NodeId; type: string; atMs: number; deadlineMs: number }[] = [];
  let lastDelivery: { to: NodeId; message: Message; atMs: number } | null = null;
  group.listener = {
    onDeliver: (to, message, nowMs) => {
      lastDelivery = { to, message, atMs: nowMs };
      deliveries.push(lastDelivery);
    },
    afterEvent: (nowMs) => {
      if (lastDelivery === null || lastDelivery.atMs !== nowMs) return;
      const d = lastDelivery;
      deadlinesAfterDelivery.push({ to: d.to, type: d.message.type, atMs: nowMs, deadlineMs: group.member(d.to).electionDeadlineMs });
      lastDelivery = null;
    },
  };
  group.start();
  const runFor = (ms: number) => engine.runUntil({ atMsMax: engine.nowMs + ms, stepsMax: 5_000_000 });
  group.member(1).campaign(engine.nowMs);
  runFor(100);
  expect(group.leaderId()).toBe(1);
  return { engine, group, runFor, deliveries, deadlinesAfterDelivery };
}

describe("host election timer (paper benchmark mode)", () => {
  it("a follower restarts its timer when each heartbeat arrives, so it never campaigns under a live leader", () => {
    const { group, runFor, deadlinesAfterDelivery } = timerGroup();
    const term = group.member(2).term;
    runFor(2_000);
    const beats = deadlinesAfterDelivery.filter((d) => d.to === 2 && d.type === "MsgHeartbeat");
    expect(beats.length).toBeGreaterThan(20);
    for (const beat of beats) expect(beat.deadlineMs).toBe(beat.atMs + 150);
    expect(group.member(2).term).toBe(term);
    expect(group.leaderId()).toBe(1);
  });

  it("a voter restarts its timer when it grants a vote (before persisting it), not when it rejects one", () => {
    const { engine, group, runFor, deadlinesAfterDelivery } = timerGroup();
    // Member 3 misses the newest entry, so it cannot win member 2's vote.
    group.network.dropFilter = (_from, to, m) => to === 3 && m.type === "MsgApp" && m.entries.length > 0;
    group.member(1).propose("x", engine.nowMs);
    runFor(20);
    group.crash(1);
    group.network.dropFilter = null;
    const deadline2 = group.member(2).electionDeadlineMs;
    const campaignsAtMs = engine.nowMs;
    group.member(3).campaign(engine.nowMs); // stale log: member 2 adopts the term but refuses
    runFor(10);
    const refused = deadlinesAfterDelivery.filter((d) => d.to === 2 && d.type === "MsgVote" && d.atMs >= campaignsAtMs);
    expect(refused.length).toBe(1);
    expect(refused[0]!.deadlineMs).toBe(deadline2);
    expect(group.member(2).term).toBe(group.member(3).term);
    group.member(2).campaign(engine.nowMs); // up to date: member 3 grants
    runFor(10);
    const granted = deadlinesAfterDelivery.filter((d) => d.to === 3 && d.type === "MsgVote" && d.atMs >= campaignsAtMs);
    expect(granted.length).toBe(1);
    expect(granted[0]!.deadlineMs).toBe(granted[0]!.atMs + 150); // at the decision, 1 ms before the vote is durable
    expect(group.leaderId()).toBe(2);
  });

  it("a lone candidate campaigns again after each timeout with a fresh draw", () => {
    const { engine, group, runFor } = timerGroup({ minMs: 150, maxMs: 300 });
    group.crash(1);
    group.crash(2);
    const gaps: number[] = [];
    let previousDeadline = group.member(3).electionDeadlineMs;
    const termBefore = group.member(3).term;
    for (let i = 0; i < 30; i++) {
      engine.runUntil({ atMsMax: previousDeadline, stepsMax: 1_000_000 });
      runFor(0);
      const next = group.member(3).electionDeadlineMs;
      expect(next).toBeGreaterThan(previousDeadline);
      gaps.push(next - previousDeadline);
      previousDeadline = next;
    }
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(150);
      expect(gap).toBeLessThanOrEqual(300);
    }
    expect(new Set(gaps).size).toBeGreaterThan(10);
    expect(group.member(3).term).toBe(termBefore + 30);
    expect(group.member(3).role).toBe("candidate");
  });
});
