import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { casOp, checkKvHistory, getOp, putOp, type KvOperation } from "../../../src/sim/raft/linearizability.ts";
import { Prng } from "../../../src/model/prng.ts";
import { sequentialKvHistory } from "../../../src/sim/raft/kv-history-fixture.ts";

const budget = { stepsMax: 1_000_000 };

describe("linearizability: known histories", () => {
  it("accepts a sequential history", () => {
    const h = [putOp(1, "x", "a", 0, 1), getOp(1, "x", "a", 2, 3), putOp(1, "x", "b", 4, 5), getOp(2, "x", "b", 6, 7)];
    expect(checkKvHistory(h, budget).outcome).toBe("linearizable");
  });

  it("accepts a read of either value while a write is in flight", () => {
    const h = [putOp(1, "x", "a", 0, 1), putOp(1, "x", "b", 2, 10), getOp(2, "x", "a", 3, 4), getOp(3, "x", "b", 5, 6)];
    expect(checkKvHistory(h, budget).outcome).toBe("linearizable");
  });

  it("rejects a stale read after the write returned", () => {
    const h = [putOp(1, "x", "a", 0, 1), putOp(1, "x", "b", 2, 3), getOp(2, "x", "a", 4, 5)];
    const result = checkKvHistory(h, budget);
    expect(result.outcome).toBe("notLinearizable");
    expect(result.key).toBe("x");
  });

  it("rejects a read that flips back (b then a) while a → b is in flight", () => {
    const h = [putOp(1, "x", "a", 0, 1), putOp(1, "x", "b", 2, 20), getOp(2, "x", "b", 3, 4), getOp(3, "x", "a", 5, 6)];
    expect(checkKvHistory(h, budget).outcome).toBe("notLinearizable");
  });

  it("treats intervals as closed: a write returning at t and a read invoked at t are concurrent", () => {
    const h = [putOp(1, "x", "a", 0, 5), getOp(2, "x", null, 5, 6)];
    expect(checkKvHistory(h, budget).outcome).toBe("linearizable");
    const strictlyAfter = [putOp(1, "x", "a", 0, 5), getOp(2, "x", null, 6, 7)];
    expect(checkKvHistory(strictlyAfter, budget).outcome).toBe("notLinearizable");
  });

  it("lets an unknown write take effect late or never", () => {
    const late = [putOp(1, "x", "a", 0, Infinity), getOp(2, "x", null, 1, 2), getOp(2, "x", "a", 100, 101)];
    expect(checkKvHistory(late, budget).outcome).toBe("linearizable");
    const never = [putOp(1, "x", "a", 0, Infinity), getOp(2, "x", null, 100, 101)];
    expect(checkKvHistory(never, budget).outcome).toBe("linearizable");
    const beforeInvoke = [getOp(2, "x", "a", 0, 1), putOp(1, "x", "a", 2, Infinity)];
    expect(checkKvHistory(beforeInvoke, budget).outcome).toBe("notLinearizable");
  });

  it("checks compare-and-set outcomes", () => {
    const ok = [putOp(1, "x", "a", 0, 1), casOp(2, "x", "a", "b", true, 2, 3), getOp(1, "x", "b", 4, 5)];
    expect(checkKvHistory(ok, budget).outcome).toBe("linearizable");
    const wrongSuccess = [putOp(1, "x", "a", 0, 1), casOp(2, "x", "z", "b", true, 2, 3)];
    expect(checkKvHistory(wrongSuccess, budget).outcome).toBe("notLinearizable");
    const wrongFailure = [putOp(1, "x", "a", 0, 1), casOp(2, "x", "a", "b", false, 2, 3)];
    expect(checkKvHistory(wrongFailure, budget).outcome).toBe("notLinearizable");
    const racing = [casOp(1, "x", null, "a", true, 0, 10), casOp(2, "x", null, "b", true, 0, 10)];
    expect(checkKvHistory(racing, budget).outcome).toBe("notLinearizable");
  });

  it("checks keys independently and names the bad key", () => {
    const h = [putOp(1, "a", "1", 0, 1), getOp(1, "a", "1", 2, 3), putOp(1, "b", "1", 0, 1), getOp(2, "b", "2", 2, 3)];
    const result = checkKvHistory(h, budget);
    expect(result.outcome).toBe("notLinearizable");
    expect(result.key).toBe("b");
    expect(result.keysChecked).toBe(2);
  });

  it("answers unknown, never linearizable, when the budget runs out", () => {
    const h = sequentialKvHistory(new Prng("budget"), 200, 1, 8);
    expect(checkKvHistory(h, { stepsMax: 10 }).outcome).toBe("unknown");
    expect(checkKvHistory(h, budget).outcome).toBe("linearizable");
  });
});

describe("linearizability: properties", () => {
  it("histories from a sequential execution with overlapping intervals are linearizable", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 4 }), (seed, keys, width) => {
        const h = sequentialKvHistory(new Prng(`lin/${seed}`), 120, keys, width);
        expect(checkKvHistory(h, budget).outcome).toBe("linearizable");
      }),
      { numRuns: 200 },
    );
  });

  it("a read mutated to a value never written makes the history fail", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 4 }), (seed, width) => {
        const prng = new Prng(`mut/${seed}`);
        const h = sequentialKvHistory(prng, 80, 3, width);
        const reads = h.map((op, i) => [op, i] as const).filter(([op]) => op.kind === "get");
        fc.pre(reads.length > 0);
        const [, index] = reads[prng.int(0, reads.length)] as readonly [KvOperation, number];
        h[index] = { ...(h[index] as KvOperation), readValue: "never-written" };
        expect(checkKvHistory(h, budget).outcome).toBe("notLinearizable");
      }),
      { numRuns: 200 },
    );
  });
});
