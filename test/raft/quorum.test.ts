import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { committedIndex, jointCommittedIndex, majority, tallyVotes } from "../../src/raft/quorum.ts";

/** Naive twin: the largest index i such that a majority of voters has match ≥ i. */
function naiveCommitted(matches: readonly number[]): number {
  if (matches.length === 0) return 0;
  let best = 0;
  for (const candidate of matches) {
    const count = matches.filter((m) => m >= candidate).length;
    if (count * 2 > matches.length && candidate > best) best = candidate;
  }
  return best;
}

function naiveTally(n: number, granted: number, rejected: number): "won" | "lost" | "pending" {
  if (n === 0) return "won";
  if (granted * 2 > n) return "won";
  const missing = n - granted - rejected;
  if ((granted + missing) * 2 > n) return "pending";
  return "lost";
}

describe("quorum math", () => {
  test.prop([fc.array(fc.nat(50), { maxLength: 9 })], { numRuns: 20000 })("committed index equals the naive majority index", (matches) => {
    expect(committedIndex(matches.slice())).toBe(naiveCommitted(matches));
  });

  test.prop([fc.nat(9).chain((n) => fc.tuple(fc.constant(n), fc.nat(n)).chain(([n, g]) => fc.tuple(fc.constant(n), fc.constant(g), fc.nat(n - g))))], { numRuns: 5000 })(
    "vote tally equals the naive count",
    ([n, granted, rejected]) => {
      expect(tallyVotes(n, granted, rejected)).toBe(naiveTally(n, granted, rejected));
    },
  );

  test("etcd TestCommit table: even-sized groups need a strict majority", () => {
    expect(committedIndex([2, 1, 1])).toBe(1);
    expect(committedIndex([2, 1, 2])).toBe(2);
    expect(committedIndex([2, 2, 1, 1])).toBe(1);
    expect(committedIndex([2, 2, 2, 1])).toBe(2);
    expect(majority(4)).toBe(3);
    expect(majority(5)).toBe(3);
    expect(jointCommittedIndex(7, 4)).toBe(4);
  });
});
