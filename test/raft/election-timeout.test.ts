import { describe, expect, test } from "vitest";
import { Prng } from "../../src/model/prng.ts";
import { RaftNode } from "../../src/raft/raft-node.ts";
import { MemoryStorage } from "../../src/raft/storage.ts";
import { defaultConfig } from "./env.ts";

/** Ticks until a fresh follower campaigns (its randomized election timeout). */
function ticksUntilCampaign(node: RaftNode): number {
  for (let t = 1; t <= 100; t++) {
    node.tick();
    if (node.raft.role !== "follower") return t;
  }
  throw new Error("never campaigned");
}

function freshNode(id: number, prng: Prng): RaftNode {
  return new RaftNode(defaultConfig(id, [1, 2, 3, 4, 5]), MemoryStorage.bootstrap({ voters: [1, 2, 3, 4, 5], learners: [], votersOutgoing: [] }), prng);
}

describe("randomized election timeouts (paper §5.2)", () => {
  test("over 500 rounds every timeout in [et, 2et) is drawn, and nothing outside", () => {
    const seen = new Set<number>();
    const root = Prng.fromSeed(7);
    for (let round = 0; round < 500; round++) seen.add(ticksUntilCampaign(freshNode(1, root.fork(`r${round}`))));
    expect([...seen].sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  test("five nodes reset together rarely time out on the same first tick (≤ 30% of 1000 rounds)", () => {
    const root = Prng.fromSeed(11);
    let collisions = 0;
    for (let round = 0; round < 1000; round++) {
      const firsts = [1, 2, 3, 4, 5].map((id) => ticksUntilCampaign(freshNode(id, root.fork(`r${round}/n${id}`))));
      const min = Math.min(...firsts);
      if (firsts.filter((t) => t === min).length > 1) collisions++;
    }
    expect(collisions / 1000).toBeLessThanOrEqual(0.3);
  });
});
