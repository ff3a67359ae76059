import { describe, expect, it } from "vitest";
import { Engine } from "../../../src/sim/engine.ts";
import { Prng } from "../../../src/model/prng.ts";
import { SimDisk, type DiskParams } from "../../../src/sim/raft/disk.ts";
import { TickClock } from "../../../src/sim/raft/tick-clock.ts";

const fixed: DiskParams = { fsyncMedianMs: 5, fsyncSigma: 0, fsyncMsMin: 0, fsyncMsMax: 1000 };

function world(params: DiskParams = fixed) {
  const engine = new Engine();
  const durable: { batch: string; atMs: number }[] = [];
  const disk = new SimDisk<string>(engine, new Prng("disk"), params, { onSynced: (batch, atMs) => durable.push({ batch, atMs }) });
  return { engine, disk, durable };
}

describe("SimDisk", () => {
  it("makes writes durable in order, one fsync at a time", () => {
    const { engine, disk, durable } = world();
    disk.write("a");
    disk.write("b");
    disk.write("c");
    engine.runUntil({ atMsMax: 1000, stepsMax: 100 });
    expect(durable).toEqual([{ batch: "a", atMs: 5 }, { batch: "b", atMs: 10 }, { batch: "c", atMs: 15 }]);
  });

  it("a crash loses what was not yet synced and keeps what was", () => {
    const { engine, disk, durable } = world();
    disk.write("a");
    disk.write("b");
    engine.runUntil({ atMsMax: 7, stepsMax: 100 });
    disk.crash();
    engine.runUntil({ atMsMax: 1000, stepsMax: 100 });
    expect(durable.map((d) => d.batch)).toEqual(["a"]);
    expect(disk.stats.lostOnCrash).toBe(1);
    disk.write("c");
    engine.runUntil({ atMsMax: 2000, stepsMax: 100 });
    expect(durable.map((d) => d.batch)).toEqual(["a", "c"]);
  });

  it("a slow-disk fault multiplies latency while it lasts", () => {
    const { engine, disk, durable } = world();
    disk.slow(10, 100);
    disk.write("slow");
    engine.runUntil({ atMsMax: 200, stepsMax: 100 });
    disk.write("fast");
    engine.runUntil({ atMsMax: 1000, stepsMax: 100 });
    expect(durable).toEqual([{ batch: "slow", atMs: 50 }, { batch: "fast", atMs: 205 }]);
  });
});

describe("TickClock", () => {
  it("ticks every tickMs without drift", () => {
    const clock = new TickClock(100);
    const ticks = [clock.start(0)];
    for (let i = 0; i < 4; i++) ticks.push(clock.advance());
    expect(ticks).toEqual([100, 200, 300, 400, 500]);
  });

  it("a fast clock (factor 1.25) fires 25% more ticks over the same true time", () => {
    const clock = new TickClock(100);
    clock.setDrift(1.25);
    let atMs = clock.start(0);
    let ticks = 0;
    while (atMs <= 10_000) {
      ticks++;
      atMs = clock.advance();
    }
    expect(ticks).toBe(125);
  });
});
