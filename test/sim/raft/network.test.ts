import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/sim/engine.ts";
import { Prng } from "../../../src/model/prng.ts";
import { lanLinkParams, SimNetwork, type LinkParams } from "../../../src/sim/raft/network.ts";

interface Arrival {
  from: number;
  to: number;
  message: number;
  atMs: number;
}

function world(seed: string, memberCount: number, params: Partial<LinkParams> = {}) {
  const engine = new Engine();
  const arrivals: Arrival[] = [];
  const network = new SimNetwork<number>(engine, new Prng(seed), memberCount, { ...lanLinkParams(), ...params }, {
    receive: (from, to, message, atMs) => arrivals.push({ from, to, message, atMs }),
  });
  const drain = () => engine.runUntil({ atMsMax: Infinity, stepsMax: 1_000_000 });
  return { engine, network, arrivals, drain };
}

describe("SimNetwork", () => {
  it("a symmetric partition blocks both directions between groups, not inside them", () => {
    const { network, arrivals, drain } = world("p", 3);
    network.partition([[1, 2], [3]]);
    network.send(1, 2, 12);
    network.send(2, 1, 21);
    network.send(1, 3, 13);
    network.send(3, 1, 31);
    drain();
    expect(arrivals.map((a) => a.message).sort()).toEqual([12, 21]);
    expect(network.stats.droppedPartition).toBe(2);
    network.heal();
    network.send(1, 3, 13);
    drain();
    expect(arrivals.map((a) => a.message)).toContain(13);
  });

  it("an asymmetric cut blocks one direction only", () => {
    const { network, arrivals, drain } = world("a", 2);
    network.blockOneWay(1, 2);
    network.send(1, 2, 12);
    network.send(2, 1, 21);
    drain();
    expect(arrivals.map((a) => a.message)).toEqual([21]);
    expect(network.connected(1, 2)).toBe(false);
    expect(network.connected(2, 1)).toBe(true);
  });

  it("isolating a member cuts all its links", () => {
    const { network, arrivals, drain } = world("i", 3);
    network.isolate(2);
    for (const [f, t] of [[1, 2], [2, 1], [2, 3], [3, 2], [1, 3]] as const) network.send(f, t, f * 10 + t);
    drain();
    expect(arrivals.map((a) => a.message)).toEqual([13]);
  });

  it("a message in flight when the partition starts is lost", () => {
    const { engine, network, arrivals } = world("f", 2, { latencyMedianMs: 10, latencySigma: 0, latencyMsMin: 10 });
    network.send(1, 2, 1);
    engine.runUntil({ atMsMax: 5, stepsMax: 100 });
    network.isolate(1);
    engine.runUntil({ atMsMax: 100, stepsMax: 100 });
    expect(arrivals).toEqual([]);
  });

  it("honours the loss rate roughly", () => {
    const { network, arrivals, drain } = world("loss", 2, { lossRate: 0.2 });
    const n = 10_000;
    for (let i = 0; i < n; i++) network.send(1, 2, i);
    drain();
    expect(arrivals.length / n).toBeGreaterThan(0.78);
    expect(arrivals.length / n).toBeLessThan(0.82);
  });

  it("duplicates messages at the duplication rate", () => {
    const { network, arrivals, drain } = world("dup", 2, { duplicateRate: 0.5 });
    for (let i = 0; i < 2000; i++) network.send(1, 2, i);
    drain();
    expect(arrivals.length).toBeGreaterThan(2900);
    expect(arrivals.length).toBeLessThan(3100);
  });

  it("reorders messages when latencies vary", () => {
    const { network, arrivals, drain } = world("reorder", 2, { latencySigma: 1, reorderRate: 0.3, reorderDelayMsMax: 20 });
    for (let i = 0; i < 200; i++) network.send(1, 2, i);
    drain();
    const order = arrivals.map((a) => a.message);
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });

  it("a clogged link holds messages until the clog lifts, losing none", () => {
    const { network, arrivals, drain } = world("clog", 2);
    network.clog(1, 2, 500);
    for (let i = 0; i < 10; i++) network.send(1, 2, i);
    network.send(2, 1, 99);
    drain();
    expect(arrivals.filter((a) => a.to === 2).every((a) => a.atMs >= 500)).toBe(true);
    expect(arrivals.filter((a) => a.to === 2)).toHaveLength(10);
    expect(arrivals.find((a) => a.to === 1)?.atMs).toBeLessThan(500);
  });

  it("same seed gives the same delivery order and times; another seed differs", () => {
    const run = (seed: string) => {
      const { network, arrivals, drain } = world(seed, 3, { latencySigma: 0.8, lossRate: 0.1, duplicateRate: 0.1 });
      for (let i = 0; i < 300; i++) network.send(1 + (i % 3), 1 + ((i + 1) % 3), i);
      drain();
      return arrivals.map((a) => `${a.message}@${a.atMs}`).join(" ");
    };
    expect(run("same")).toBe(run("same"));
    expect(run("same")).not.toBe(run("other"));
  });
});
