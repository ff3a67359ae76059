import { describe, expect, it } from "vitest";
import { Engine, type Actor } from "../../../src/sim/engine.ts";
import { Prng } from "../../../src/model/prng.ts";
import { etcdStoreParams, RaftStore } from "../../../src/sim/raft/raft-store.ts";
import { IdealStore } from "../../../src/sim/raft/ideal-store.ts";
import { summarizeStore } from "../../../src/sim/raft/store-observations.ts";

interface Outcome {
  committed: Map<number, number>;
  failed: Map<number, string>;
}

function makeStore(seed: number, memberCount = 3) {
  const engine = new Engine();
  const outcome: Outcome = { committed: new Map(), failed: new Map() };
  const store = new RaftStore(engine, Prng.fromSeed(seed), etcdStoreParams(memberCount), {
    onCommitted: (id, atMs) => {
      expect(outcome.committed.has(id) || outcome.failed.has(id)).toBe(false);
      outcome.committed.set(id, atMs);
    },
    onWriteFailed: (id, reason) => {
      expect(outcome.committed.has(id) || outcome.failed.has(id)).toBe(false);
      outcome.failed.set(id, reason);
    },
  });
  store.start();
  /** Proposes one write every `everyMs` from `fromMs` to `toMs`, ids from `firstId`. */
  const load = (fromMs: number, toMs: number, everyMs: number, firstId: number) => {
    const actor: Actor = {
      onEvent: (_tag, data, nowMs) => {
        store.propose(data as number, 2048);
        if (nowMs + everyMs < toMs) engine.after(everyMs, actor, 0, (data as number) + 1);
      },
    };
    engine.at(fromMs, actor, 0, firstId);
  };
  const at = (atMs: number, fault: () => void) => engine.at(atMs, { onEvent: () => fault() }, 0);
  const runTo = (atMs: number) => engine.runUntil({ atMsMax: atMs, stepsMax: 10_000_000 });
  return { engine, store, outcome, load, at, runTo };
}

describe("RaftStore", () => {
  it("commits every write exactly once, through the engine, in a healthy cluster", () => {
    const { store, outcome, load, runTo } = makeStore(1);
    load(3000, 8000, 5, 1);
    runTo(20_000);
    expect(outcome.failed.size).toBe(0);
    expect(outcome.committed.size).toBe(1000);
    const summary = summarizeStore(store.observations, 20_000);
    expect(summary.writesCommitted).toBe(1000);
    expect(summary.latencyMsP50).toBeLessThan(20);
    expect(store.available()).toBe(true);
    expect(store.group.checkers?.violations).toEqual([]);
  });

  it("does not call back synchronously from propose", () => {
    const { store, outcome, runTo } = makeStore(2);
    runTo(3000);
    store.propose(1, 10);
    expect(outcome.committed.size + outcome.failed.size).toBe(0);
    runTo(4000);
    expect(outcome.committed.has(1)).toBe(true);
  });

  it("rides out a leader crash: a new leader, writes resume, a leader change and a window recorded", () => {
    const { store, outcome, load, at, runTo } = makeStore(3);
    load(3000, 15_000, 10, 1);
    at(6000, () => store.crashMember(store.group.leaderId()));
    runTo(30_000);
    expect(outcome.failed.size).toBe(0);
    expect(outcome.committed.size).toBe(1200);
    const changes = store.observations.leaderChanges.filter((c) => c.leader !== 0);
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(changes[changes.length - 1]!.term).toBeGreaterThan(changes[0]!.term);
    const window = store.observations.unavailability.find((w) => w.startMs === 6000);
    expect(window?.reason).toBe("noLeader");
    expect(window?.endMs).toBeGreaterThan(6000);
    expect(window!.endMs! - 6000).toBeLessThan(3000);
    expect(store.observations.faults[0]?.fault).toMatch(/^crash member/);
  });

  it("fails writes after the request timeout when no quorum exists, and recovers after heal", () => {
    const { store, outcome, load, at, runTo } = makeStore(4);
    at(3000, () => store.partition([[1], [2], [3]]));
    load(4000, 4100, 10, 1);
    at(20_000, () => store.heal());
    load(22_000, 22_100, 10, 100);
    runTo(40_000);
    for (let id = 1; id <= 10; id++) expect(outcome.failed.get(id)).toBe("timeout");
    for (let id = 100; id < 110; id++) expect(outcome.committed.has(id)).toBe(true);
    expect(store.observations.unavailability.some((w) => w.reason === "noQuorum" || w.reason === "noLeader" || w.reason === "endpointCut")).toBe(true);
    expect(store.available()).toBe(true);
  });

  it("moves off a crashed endpoint at once, even with no writes in flight", () => {
    const { store, at, runTo } = makeStore(6);
    expect(store.endpoint).toBe(1);
    at(5000, () => store.crashMember(1));
    runTo(12_000);
    expect(store.endpoint).not.toBe(1);
    expect(store.available()).toBe(true);
  });

  it("isolateLeader moves leadership to the majority side", () => {
    const { store, runTo, at } = makeStore(5, 5);
    let isolated = 0;
    at(5000, () => (isolated = store.isolateLeader()));
    runTo(15_000);
    expect(isolated).not.toBe(0);
    expect(store.group.leaderId()).not.toBe(isolated);
    expect(store.group.member(isolated).role).not.toBe("leader");
  });

  it("the same seed gives the same leader-change history; another seed differs", () => {
    const run = (seed: number) => {
      const { store, load, at, runTo } = makeStore(seed, 5);
      load(2000, 20_000, 20, 1);
      at(5000, () => store.isolateLeader());
      at(8000, () => store.heal());
      at(9000, () => store.crashMember(store.group.leaderId()));
      at(12_000, () => store.restartMember(1));
      at(12_000, () => store.slowDisk(2, 20, 3000));
      at(13_000, () => store.driftClock(3, 1.3));
      runTo(25_000);
      return JSON.stringify([store.observations.leaderChanges, store.observations.unavailability, summarizeStore(store.observations, 25_000)]);
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });
});

describe("IdealStore", () => {
  it("commits after a fixed latency and is always available", () => {
    const engine = new Engine();
    const committed: [number, number][] = [];
    const store = new IdealStore(engine, { onCommitted: (id, atMs) => committed.push([id, atMs]), onWriteFailed: () => expect.unreachable() }, 3);
    store.propose(7, 100);
    expect(committed).toEqual([]);
    engine.runUntil({ atMsMax: 100, stepsMax: 10 });
    expect(committed).toEqual([[7, 3]]);
    expect(store.available()).toBe(true);
  });
});
