import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { Engine, type Actor } from "../../src/sim/engine.ts";

class Recorder implements Actor {
  readonly seen: { atMs: number; tag: number }[] = [];
  onEvent(tag: number, _data: unknown, nowMs: number): void {
    this.seen.push({ atMs: nowMs, tag });
  }
}

describe("Engine", () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 300 })])(
    "runs events in (atMs, insertion) order, like a stable sort (naive model)",
    (times) => {
      const engine = new Engine(4);
      const rec = new Recorder();
      times.forEach((t, i) => engine.at(t, rec, i));
      engine.runUntil({ atMsMax: Infinity, stepsMax: 1e6 });
      const naive = times.map((atMs, tag) => ({ atMs, tag })).sort((a, b) => a.atMs - b.atMs || a.tag - b.tag);
      expect(rec.seen).toEqual(naive);
    },
  );

  test.prop([
    fc.array(fc.oneof(fc.record({ op: fc.constant("push" as const), delay: fc.integer({ min: 0, max: 50 }) }), fc.record({ op: fc.constant("step" as const) })), {
      maxLength: 400,
    }),
  ])("interleaved scheduling and stepping matches a naive sorted list", (ops) => {
    const engine = new Engine(2);
    const rec = new Recorder();
    const naive: { atMs: number; seq: number; tag: number }[] = [];
    let seq = 0;
    let now = 0;
    const expected: { atMs: number; tag: number }[] = [];
    for (const op of ops) {
      if (op.op === "push") {
        engine.after(op.delay, rec, seq);
        naive.push({ atMs: now + op.delay, seq, tag: seq });
        seq++;
      } else {
        naive.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
        const head = naive.shift();
        const stepped = engine.step();
        expect(stepped).toBe(head !== undefined);
        if (head) {
          now = head.atMs;
          expected.push({ atMs: head.atMs, tag: head.tag });
        }
      }
    }
    expect(rec.seen).toEqual(expected);
    expect(engine.pending).toBe(naive.length);
  });

  test("runUntil honours both limits", () => {
    const engine = new Engine();
    const rec = new Recorder();
    for (let i = 0; i < 10; i++) engine.at(i * 10, rec, i);
    expect(engine.runUntil({ atMsMax: 35, stepsMax: 100 })).toBe("atMsMax");
    expect(rec.seen.length).toBe(4);
    expect(engine.nowMs).toBe(35);
    expect(engine.runUntil({ atMsMax: 1000, stepsMax: 3 })).toBe("stepsMax");
    expect(rec.seen.length).toBe(7);
    expect(engine.runUntil({ atMsMax: 1000, stepsMax: 100 })).toBe("idle");
    expect(rec.seen.length).toBe(10);
  });

  test("scheduling into the past is a broken invariant", () => {
    const engine = new Engine();
    const rec = new Recorder();
    engine.at(10, rec, 0);
    engine.step();
    expect(() => engine.at(5, rec, 1)).toThrow(/past/);
  });
});
