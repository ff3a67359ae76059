import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { Inflights } from "../../src/raft/inflights.ts";
import { Progress } from "../../src/raft/progress.ts";

type InflightOp = { t: "add" } | { t: "free"; upTo: number } | { t: "reset" };

describe("flow control", () => {
  test.prop([fc.integer({ min: 1, max: 6 }), fc.array(fc.oneof(fc.constant({ t: "add" } as InflightOp), fc.nat(40).map((upTo) => ({ t: "free", upTo }) as InflightOp), fc.constant({ t: "reset" } as InflightOp)), { maxLength: 200 })], { numRuns: 3000 })(
    "the inflight ring buffer behaves like a plain array",
    (capacity, ops) => {
      const ring = new Inflights(capacity);
      let naive: number[] = [];
      let next = 1;
      for (const op of ops) {
        if (op.t === "add") {
          if (naive.length === capacity) continue; // callers never add to a full window
          ring.add(next);
          naive.push(next);
          next += 1;
        } else if (op.t === "free") {
          ring.freeLE(op.upTo);
          naive = naive.filter((i) => i > op.upTo);
        } else {
          ring.reset();
          naive = [];
        }
        expect(ring.count).toBe(naive.length);
        expect(ring.full()).toBe(naive.length === capacity);
      }
    },
  );

  type ProgressOp =
    | { t: "send"; entries: number }
    | { t: "ack"; index: number }
    | { t: "reject"; rejected: number; hint: number }
    | { t: "probe" }
    | { t: "replicate" }
    | { t: "snapshot"; index: number };

  const progressOp: fc.Arbitrary<ProgressOp> = fc.oneof(
    fc.nat(3).map((entries) => ({ t: "send", entries }) as ProgressOp),
    fc.nat(30).map((index) => ({ t: "ack", index }) as ProgressOp),
    fc.record({ rejected: fc.nat(30), hint: fc.nat(30) }).map((r) => ({ t: "reject", ...r }) as ProgressOp),
    fc.constant({ t: "probe" } as ProgressOp),
    fc.constant({ t: "replicate" } as ProgressOp),
    fc.nat(30).map((index) => ({ t: "snapshot", index }) as ProgressOp),
  );

  test.prop([fc.array(progressOp, { maxLength: 120 })], { numRuns: 3000 })(
    "progress keeps match < next, never loses match, and pauses exactly as the naive rule says",
    (ops) => {
      const pr = new Progress(2, 1, 3, false);
      for (const op of ops) {
        const matchBefore = pr.match;
        switch (op.t) {
          case "send":
            if (pr.isPaused()) continue; // the leader never sends to a paused follower
            pr.sentEntries(pr.state === "replicate" && pr.inflights.full() ? 0 : op.entries);
            break;
          case "ack":
            pr.maybeUpdate(op.index);
            if (pr.state === "replicate") pr.inflights.freeLE(op.index);
            break;
          case "reject":
            pr.maybeDecrTo(op.rejected, op.hint);
            break;
          case "probe":
            pr.becomeProbe();
            break;
          case "replicate":
            pr.becomeReplicate();
            break;
          case "snapshot":
            pr.becomeSnapshot(Math.max(op.index, pr.match));
            break;
        }
        expect(pr.match).toBeGreaterThanOrEqual(matchBefore);
        expect(pr.next).toBeGreaterThan(pr.match);
        // naive pause rule: snapshot always; replicate when the window is full; probe after a send
        if (pr.state === "snapshot") expect(pr.isPaused()).toBe(true);
        if (pr.state === "replicate" && pr.inflights.full()) expect(pr.isPaused()).toBe(true);
        if (pr.state !== "replicate") expect(pr.inflights.count).toBe(0);
      }
    },
  );

  test("probe: one message per round trip; a matching ack switches to replicate semantics", () => {
    const pr = new Progress(2, 5, 2, false);
    pr.sentEntries(3);
    expect(pr.isPaused()).toBe(true);
    expect(pr.next).toBe(5); // probing does not advance next optimistically
    expect(pr.maybeDecrTo(4, 1)).toBe(true); // answer to our probe at prev 4, hint 1
    expect(pr.next).toBe(2);
    expect(pr.isPaused()).toBe(false);
    expect(pr.maybeDecrTo(4, 1)).toBe(false); // a duplicate of that rejection is stale now
  });

  test("replicate: a rejection at or below match is stale", () => {
    const pr = new Progress(2, 1, 4, false);
    pr.maybeUpdate(5);
    pr.becomeReplicate();
    expect(pr.maybeDecrTo(5, 0)).toBe(false);
    expect(pr.maybeDecrTo(7, 0)).toBe(true);
    expect(pr.next).toBe(6);
  });
});
