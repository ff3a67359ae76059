/**
 * Raft's safety properties, checked from outside on every Ready, sync and apply of every member
 * (the list of etcd-raft's TLA+ invariants): election safety, leader append-only, log matching,
 * leader completeness, state machine safety and committed-is-durable. The checkers only read what
 * members expose (Ready batches, storage, durable images); they live in the simulator, so their
 * memory survives crashes. Entries below every member's first index are forgotten, because no log
 * can hold them any more.
 */
import { checkLogMatching, type LogLike } from "../../raft/invariants.ts";
import { majority } from "../../raft/quorum.ts";
import type { Entry, NodeId, Ready } from "../../raft/types.ts";
import type { Ms } from "../../model/units.ts";
import { assert } from "../../model/assert.ts";
import { IndexTable } from "./index-table.ts";
import type { RaftMember } from "./raft-member.ts";

export type SafetyRule =
  | "electionSafety"
  | "leaderAppendOnly"
  | "logMatching"
  | "leaderCompleteness"
  | "stateMachineSafety"
  | "committedIsDurable";

export interface SafetyViolation {
  rule: SafetyRule;
  member: NodeId;
  atMs: Ms;
  detail: string;
}

/** What log matching remembers per (index, term): the data and the term of the entry before. */
interface EntryRecord {
  term: number;
  data: string;
  /** -1 when unknown (the previous entry was compacted). */
  prevTerm: number;
  /** Another record at the same index with a different term (uncommitted conflicts), or null. */
  other: EntryRecord | null;
}

interface LeaderState {
  term: number;
  lastIndex: number;
}

const PRUNE_EVERY_RECORDS = 4096;

export class SafetyCheckers {
  readonly violations: SafetyViolation[] = [];
  /** Throw (assert) at the first violation, as tests want; the VOPR collects instead. */
  throwOnViolation: boolean;
  checks = 0;
  private readonly members: readonly RaftMember[];
  private readonly quorum: number;
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly leaders = new Map<NodeId, LeaderState>();
  private readonly records = new IndexTable<EntryRecord>();
  private readonly committedTerm = new IndexTable<number>();
  private readonly applied = new IndexTable<Entry>();
  private readonly commitSeen: number[];
  private recordsSincePrune = 0;
  private prunedBelow = 0;
  private nowMs: Ms = 0;

  constructor(members: readonly RaftMember[], throwOnViolation = true) {
    this.members = members;
    this.quorum = majority(members.length);
    this.throwOnViolation = throwOnViolation;
    this.commitSeen = new Array(members.length + 1).fill(0);
  }

  /** Called with each Ready before it is persisted; member.role/term already reflect it. */
  onReady(member: RaftMember, rd: Ready, nowMs: Ms): void {
    this.nowMs = nowMs;
    this.checks++;
    this.checkLogMatching(member, rd);
    this.checkLeadership(member, rd);
    if (rd.hardState !== null) this.observeCommit(member, rd, rd.hardState.commit);
  }

  onApplied(member: RaftMember, entry: Entry, nowMs: Ms): void {
    this.nowMs = nowMs;
    this.checks++;
    const first = this.applied.get(entry.index);
    if (first === undefined) {
      this.applied.set(entry.index, entry);
    } else if (first.term !== entry.term || first.data !== entry.data) {
      this.fail("stateMachineSafety", member.id, `index ${entry.index}: applied (term ${entry.term}) but another member applied term ${first.term}`);
    }
    const committed = this.committedTerm.get(entry.index);
    if (committed !== undefined && committed !== entry.term) {
      this.fail("stateMachineSafety", member.id, `index ${entry.index}: applied term ${entry.term}, committed term ${committed}`);
    }
  }

  /**
   * A full pairwise Log Matching comparison (the library's pure check) over every member's
   * in-memory log and durable image; the incremental checks above make this a cross-check.
   */
  fullCheck(nowMs: Ms): void {
    this.nowMs = nowMs;
    const logs: { id: NodeId; log: LogLike }[] = [];
    for (const m of this.members) {
      if (m.storage !== null) logs.push({ id: m.id, log: m.storage });
      logs.push({ id: m.id, log: m.image.log });
    }
    for (let a = 0; a < logs.length; a++) {
      for (let b = a + 1; b < logs.length; b++) {
        const problem = checkLogMatching((logs[a] as { log: LogLike }).log, (logs[b] as { log: LogLike }).log);
        if (problem !== null) this.fail("logMatching", (logs[a] as { id: NodeId }).id, `${problem} (members ${(logs[a] as { id: NodeId }).id} and ${(logs[b] as { id: NodeId }).id})`);
      }
    }
  }

  /** Forgets member state that a crash wipes (its leadership); the global memory stays. */
  onCrash(member: RaftMember): void {
    this.leaders.delete(member.id);
    this.commitSeen[member.id] = 0;
  }

  private checkLeadership(member: RaftMember, rd: Ready): void {
    const previous = this.leaders.get(member.id);
    if (member.role !== "leader") {
      if (previous !== undefined) this.leaders.delete(member.id);
      return;
    }
    if (previous !== undefined && previous.term === member.term) {
      // Leader append-only: only new entries at the end, never a snapshot over its own log.
      if (rd.snapshot !== null) this.fail("leaderAppendOnly", member.id, `leader of term ${member.term} installs a snapshot`);
      if (rd.entries.length > 0) {
        const first = (rd.entries[0] as Entry).index;
        if (first !== previous.lastIndex + 1) {
          this.fail("leaderAppendOnly", member.id, `leader of term ${member.term} writes from ${first}, its log ended at ${previous.lastIndex}`);
        }
        previous.lastIndex = (rd.entries[rd.entries.length - 1] as Entry).index;
      }
      return;
    }
    this.becameLeader(member, rd);
  }

  private becameLeader(member: RaftMember, rd: Ready): void {
    const holder = this.leaderOfTerm.get(member.term);
    if (holder !== undefined && holder !== member.id) {
      this.fail("electionSafety", member.id, `two leaders in term ${member.term}: ${holder} and ${member.id}`);
    }
    this.leaderOfTerm.set(member.term, member.id);
    const lastIndex = rd.entries.length > 0 ? (rd.entries[rd.entries.length - 1] as Entry).index : this.storageLastIndex(member);
    this.leaders.set(member.id, { term: member.term, lastIndex });
    // Leader completeness: every committed entry the leader can still hold is in its log.
    const snapshotIndex = member.storage === null ? 0 : member.storage.firstIndex() - 1;
    this.committedTerm.forEachFrom(snapshotIndex + 1, (index, term) => {
      const has = logTerm(member, rd, index);
      if (has === term) return true;
      this.fail("leaderCompleteness", member.id, `leader of term ${member.term} lacks committed entry ${index} (term ${term}; has ${has})`);
      return false;
    });
  }

  private checkLogMatching(member: RaftMember, rd: Ready): void {
    const entries = rd.entries;
    if (entries.length === 0) return;
    let prevTerm = logTerm(member, rd, (entries[0] as Entry).index - 1);
    for (const entry of entries) {
      this.record(member, entry, prevTerm);
      prevTerm = entry.term;
    }
    this.recordsSincePrune += entries.length;
    if (this.recordsSincePrune >= PRUNE_EVERY_RECORDS) this.prune();
  }

  private record(member: RaftMember, entry: Entry, prevTerm: number): void {
    if (entry.index < this.prunedBelow) return;
    const head = this.records.get(entry.index);
    for (let known = head ?? null; known !== null; known = known.other) {
      if (known.term !== entry.term) continue;
      const prevDiffers = known.prevTerm >= 0 && prevTerm >= 0 && known.prevTerm !== prevTerm;
      if (known.data !== entry.data || prevDiffers) {
        this.fail("logMatching", member.id, `entry (${entry.index}, term ${entry.term}) differs between logs`);
      }
      if (known.prevTerm < 0) known.prevTerm = prevTerm;
      return;
    }
    this.records.set(entry.index, { term: entry.term, data: entry.data, prevTerm, other: head ?? null });
  }

  private observeCommit(member: RaftMember, rd: Ready, commit: number): void {
    const seen = this.commitSeen[member.id] as number;
    if (commit <= seen) return;
    this.commitSeen[member.id] = commit;
    for (let index = Math.max(seen + 1, this.prunedBelow); index <= commit; index++) {
      const term = logTerm(member, rd, index);
      if (term < 0) continue; // inside this member's snapshot
      const known = this.committedTerm.get(index);
      if (known === undefined) this.committedTerm.set(index, term);
      else if (known !== term) this.fail("stateMachineSafety", member.id, `index ${index} committed with term ${known} and term ${term}`);
    }
    // Committed is durable: the newest committed entry is on the disks of a quorum (by log
    // matching, so is everything before it).
    const term = logTerm(member, rd, commit);
    if (term < 0) return;
    let copies = 0;
    for (const other of this.members) if (other.image.holds(commit, term)) copies++;
    if (copies < this.quorum) {
      this.fail("committedIsDurable", member.id, `entry (${commit}, term ${term}) committed but durable on ${copies} < ${this.quorum} disks`);
    }
  }

  private prune(): void {
    this.recordsSincePrune = 0;
    let below = Infinity;
    for (const member of this.members) {
      below = Math.min(below, member.image.snapshot.metadata.index + 1);
      if (member.storage !== null) below = Math.min(below, member.storage.firstIndex());
    }
    if (below <= this.prunedBelow) return;
    this.records.dropBelow(below);
    this.committedTerm.dropBelow(below);
    this.applied.dropBelow(below);
    this.prunedBelow = below;
  }

  private storageLastIndex(member: RaftMember): number {
    return member.storage === null ? 0 : member.storage.lastIndex();
  }

  private fail(rule: SafetyRule, member: NodeId, detail: string): void {
    this.violations.push({ rule, member, atMs: this.nowMs, detail });
    assert(!this.throwOnViolation, `${rule} violated at member ${member}: ${detail}`);
  }
}

/** Term of entry `index` in the member's log as this Ready leaves it; negative when not held. */
function logTerm(member: RaftMember, rd: Ready, index: number): number {
  const entries = rd.entries;
  if (entries.length > 0) {
    const first = (entries[0] as Entry).index;
    if (index >= first) return index - first < entries.length ? (entries[index - first] as Entry).term : -2;
  }
  const snapshot = rd.snapshot;
  if (snapshot !== null) {
    // The snapshot replaces the whole log before this Ready's entries.
    if (index < snapshot.metadata.index) return -1;
    return index === snapshot.metadata.index ? snapshot.metadata.term : -2;
  }
  return member.storage === null ? -2 : member.storage.term(index);
}
