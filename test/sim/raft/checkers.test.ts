import { describe, expect, it } from "vitest";
import { SafetyCheckers } from "../../../src/sim/raft/checkers.ts";
import type { RaftMember } from "../../../src/sim/raft/raft-member.ts";
import { DurableImage } from "../../../src/sim/raft/durable-image.ts";
import { MemoryStorage } from "../../../src/raft/storage.ts";
import type { Entry, Ready } from "../../../src/raft/types.ts";

/** A stand-in member: only the fields the checkers read. */
function fakeMember(id: number) {
  const storage = MemoryStorage.bootstrap({ voters: [1, 2, 3], learners: [], votersOutgoing: [] });
  const image = new DurableImage(storage.snapshot());
  return { id, role: "follower", term: 1, storage, image, up: true } as unknown as RaftMember & { role: string; term: number };
}

function ready(parts: Partial<Ready>): Ready {
  return { softState: null, hardState: null, readStates: [], entries: [], snapshot: null, committedEntries: [], messages: [], mustSync: false, ...parts };
}

const entry = (index: number, term: number, data: string): Entry => ({ index, term, type: "normal", data });

function world() {
  const members = [fakeMember(1), fakeMember(2), fakeMember(3)];
  const checkers = new SafetyCheckers(members, false);
  return { members, checkers };
}

describe("SafetyCheckers catch broken runs", () => {
  it("election safety: two leaders in one term", () => {
    const { members, checkers } = world();
    for (const m of [members[0]!, members[1]!]) {
      m.role = "leader";
      m.term = 2;
      checkers.onReady(m, ready({ softState: { lead: m.id, role: "leader" } }), 10);
    }
    expect(checkers.violations.map((v) => v.rule)).toEqual(["electionSafety"]);
    expect(checkers.violations[0]?.atMs).toBe(10);
  });

  it("log matching: same index and term with different data", () => {
    const { members, checkers } = world();
    checkers.onReady(members[0]!, ready({ entries: [entry(2, 1, "a")] }), 0);
    checkers.onReady(members[1]!, ready({ entries: [entry(2, 1, "b")] }), 0);
    expect(checkers.violations.map((v) => v.rule)).toEqual(["logMatching"]);
  });

  it("leader append-only: a leader overwriting its own log", () => {
    const { members, checkers } = world();
    const m = members[0]!;
    m.role = "leader";
    m.term = 2;
    checkers.onReady(m, ready({ entries: [entry(2, 2, ""), entry(3, 2, "x")] }), 0);
    checkers.onReady(m, ready({ entries: [entry(3, 2, "y")] }), 0);
    expect(checkers.violations.map((v) => v.rule)).toContain("leaderAppendOnly");
  });

  it("state machine safety: two members apply different entries at one index", () => {
    const { members, checkers } = world();
    checkers.onApplied(members[0]!, entry(2, 1, "a"), 0);
    checkers.onApplied(members[1]!, entry(2, 1, "a"), 0);
    expect(checkers.violations).toEqual([]);
    checkers.onApplied(members[2]!, entry(2, 1, "b"), 0);
    expect(checkers.violations.map((v) => v.rule)).toEqual(["stateMachineSafety"]);
  });

  it("committed-is-durable and leader completeness", () => {
    const { members, checkers } = world();
    const m = members[0]!;
    // Member 1 claims commit 2 for an entry no disk holds.
    checkers.onReady(m, ready({ entries: [entry(2, 1, "a")], hardState: { term: 1, vote: 1, commit: 2 } }), 0);
    expect(checkers.violations.map((v) => v.rule)).toEqual(["committedIsDurable"]);
    // Member 2 becomes leader of term 2 without entry 2.
    const leader = members[1]!;
    leader.role = "leader";
    leader.term = 2;
    checkers.onReady(leader, ready({ softState: { lead: 2, role: "leader" }, entries: [entry(2, 2, "")] }), 0);
    expect(checkers.violations.map((v) => v.rule)).toContain("leaderCompleteness");
  });

  it("throws at the first violation when asked to (tests)", () => {
    const { members } = world();
    const strict = new SafetyCheckers(members, true);
    strict.onApplied(members[0]!, entry(2, 1, "a"), 0);
    expect(() => strict.onApplied(members[1]!, entry(2, 2, "a"), 0)).toThrow(/stateMachineSafety/);
  });
});

describe("SafetyCheckers.fullCheck", () => {
  it("compares whole logs pairwise (the library's checkLogMatching)", () => {
    const { members, checkers } = world();
    members[0]!.storage!.append([entry(2, 1, "a"), entry(3, 2, "b")]);
    members[1]!.storage!.append([entry(2, 1, "a"), entry(3, 2, "b")]);
    checkers.fullCheck(5);
    expect(checkers.violations).toEqual([]);
    members[2]!.storage!.append([entry(2, 3, "z"), entry(3, 2, "b")]);
    checkers.fullCheck(6);
    expect(checkers.violations.map((v) => v.rule)).toContain("logMatching");
  });
});
