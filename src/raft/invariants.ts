import type { Entry, NodeId, RaftRole } from "./types.ts";

/**
 * Raft's safety properties as pure checks over member views (paper Figure 3, etcd's TLA+
 * invariants). A checker keeps the small cross-step memory (leader per term, committed entries,
 * applied entries) in an `InvariantMemory` it owns; every function returns a violation text or
 * null and never throws, so a simulator can add its seed and step to the message.
 */

/** Read access to a log (RaftLog and MemoryStorage both fit). term(i) < 0 means absent. */
export interface LogLike {
  firstIndex(): number;
  lastIndex(): number;
  term(i: number): number;
}

export interface MemberView {
  id: NodeId;
  term: number;
  role: RaftRole;
  /** Commit index as the member knows it. */
  commit: number;
  /** The member's whole log, persisted or not. */
  log: LogLike;
  /** What survives a crash (stable storage); its snapshot index counts as present. */
  durable: LogLike;
}

export interface InvariantMemory {
  /** term → the member that was leader in it. */
  leaderOfTerm: Map<number, NodeId>;
  /** index → term of the entry known committed at that index. */
  committedTerm: Map<number, number>;
  /** index → lowest member term seen with the entry committed (≥ the term it was committed in). */
  committedInTerm: Map<number, number>;
  /** Highest index in committedTerm. */
  committedMax: number;
  /** index → identity ("term/data") of the entry some member applied there. */
  appliedKey: Map<number, string>;
  /** leader id → its log terms as last seen while leader in `term` (for append-only). */
  leaderLogs: Map<NodeId, { term: number; firstIndex: number; terms: number[] }>;
}

export function newInvariantMemory(): InvariantMemory {
  return { leaderOfTerm: new Map(), committedTerm: new Map(), committedInTerm: new Map(), committedMax: 0, appliedKey: new Map(), leaderLogs: new Map() };
}

/** Election Safety: at most one leader per term, over all time. */
export function checkElectionSafety(memory: InvariantMemory, members: readonly MemberView[]): string | null {
  for (const m of members) {
    if (m.role !== "leader") continue;
    const known = memory.leaderOfTerm.get(m.term);
    if (known === undefined) memory.leaderOfTerm.set(m.term, m.id);
    else if (known !== m.id) return `election safety: ${known} and ${m.id} both leader in term ${m.term}`;
  }
  return null;
}

/** Log Matching: if two logs agree on the term at index i, they agree on every index ≤ i. */
export function checkLogMatching(a: LogLike, b: LogLike): string | null {
  const lo = Math.max(a.firstIndex(), b.firstIndex());
  const hi = Math.min(a.lastIndex(), b.lastIndex());
  let agreedAt = 0;
  for (let i = hi; i >= lo; i--) {
    const ta = a.term(i);
    const tb = b.term(i);
    if (agreedAt === 0) {
      if (ta === tb) agreedAt = i;
    } else if (ta !== tb) {
      return `log matching: logs agree at index ${agreedAt} but differ at ${i} (terms ${ta} vs ${tb})`;
    }
  }
  return null;
}

function termsOf(log: LogLike): number[] {
  const out: number[] = [];
  for (let i = log.firstIndex(); i <= log.lastIndex(); i++) out.push(log.term(i));
  return out;
}

/** Leader Append-Only: while a member stays leader of a term its log only grows. */
export function checkLeaderAppendOnly(memory: InvariantMemory, members: readonly MemberView[]): string | null {
  for (const m of members) {
    const before = memory.leaderLogs.get(m.id);
    if (m.role !== "leader") {
      memory.leaderLogs.delete(m.id);
      continue;
    }
    const now = { term: m.term, firstIndex: m.log.firstIndex(), terms: termsOf(m.log) };
    if (before !== undefined && before.term === m.term) {
      const lastBefore = before.firstIndex + before.terms.length - 1;
      const lastNow = now.firstIndex + now.terms.length - 1;
      if (lastNow < lastBefore) return `leader append-only: leader ${m.id} (term ${m.term}) log shrank from ${lastBefore} to ${lastNow}`;
      for (let i = Math.max(before.firstIndex, now.firstIndex); i <= lastBefore; i++) {
        const was = before.terms[i - before.firstIndex];
        const is = now.terms[i - now.firstIndex];
        if (was !== is) return `leader append-only: leader ${m.id} (term ${m.term}) rewrote index ${i} (term ${was} -> ${is})`;
      }
    }
    memory.leaderLogs.set(m.id, now);
  }
  return null;
}

/**
 * Record newly committed entries from the member with the highest commit; a different term at
 * an already committed index is a violation (committed entries are forever).
 */
export function recordCommitted(memory: InvariantMemory, members: readonly MemberView[]): string | null {
  for (const m of members) {
    for (let i = Math.max(m.log.firstIndex(), 1); i <= m.commit; i++) {
      const t = m.log.term(i);
      if (t < 0) continue;
      const known = memory.committedTerm.get(i);
      if (known === undefined) memory.committedTerm.set(i, t);
      const inTerm = memory.committedInTerm.get(i);
      if (inTerm === undefined || m.term < inTerm) memory.committedInTerm.set(i, m.term);
      if (known !== undefined && known !== t) return `committed entry changed: index ${i} term ${known}, member ${m.id} has term ${t} committed`;
      if (i > memory.committedMax) memory.committedMax = i;
    }
  }
  return null;
}

/**
 * Leader Completeness: a leader of a term after an entry was committed holds that entry. (A stale
 * leader of an older term, cut off and not yet deposed, may lack entries committed later.)
 */
export function checkLeaderCompleteness(memory: InvariantMemory, members: readonly MemberView[]): string | null {
  for (const m of members) {
    if (m.role !== "leader") continue;
    for (let i = m.log.firstIndex(); i <= memory.committedMax; i++) {
      const want = memory.committedTerm.get(i);
      if (want === undefined || m.term <= (memory.committedInTerm.get(i) ?? 0)) continue;
      const have = m.log.term(i);
      if (have !== want) return `leader completeness: leader ${m.id} (term ${m.term}) has term ${have} at committed index ${i} (term ${want})`;
    }
  }
  return null;
}

/**
 * Committed is durable: every quorum of `voters` contains a member holding each committed entry in
 * stable storage (a snapshot covering it counts), so no crash can lose it and every future leader
 * (elected by a quorum) can get it. For odd sizes that means a majority holds it.
 */
export function checkCommittedIsDurable(
  memory: InvariantMemory,
  members: readonly MemberView[],
  voters: readonly NodeId[],
): string | null {
  // Holders must outnumber the voters a quorum can leave out.
  const needed = voters.length - ((voters.length >> 1) + 1) + 1;
  for (let i = 1; i <= memory.committedMax; i++) {
    const want = memory.committedTerm.get(i);
    if (want === undefined) continue;
    let holders = 0;
    for (const m of members) {
      if (!voters.includes(m.id)) continue;
      const d = m.durable;
      if (i < d.firstIndex() - 1 || (i <= d.lastIndex() && d.term(i) === want)) holders++;
    }
    if (holders < needed) {
      return `committed is durable: entry ${i} (term ${want}) is durable on ${holders} of ${voters.length} voters, a quorum could miss it`;
    }
  }
  return null;
}

export function entryKey(e: Entry): string {
  return `${e.term}/${e.type === "confChange" ? "cc:" : ""}${e.data}`;
}

/** State Machine Safety: no two members apply different entries at the same index. */
export function recordApplied(memory: InvariantMemory, member: NodeId, entry: Entry): string | null {
  const key = entryKey(entry);
  const known = memory.appliedKey.get(entry.index);
  if (known === undefined) memory.appliedKey.set(entry.index, key);
  else if (known !== key) return `state machine safety: member ${member} applied ${key} at ${entry.index}, another applied ${known}`;
  return null;
}

/** All step checks at once; the first violation found, or null. */
export function checkAll(memory: InvariantMemory, members: readonly MemberView[], voters: readonly NodeId[]): string | null {
  const single =
    checkElectionSafety(memory, members) ?? checkLeaderAppendOnly(memory, members) ?? recordCommitted(memory, members);
  if (single !== null) return single;
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const v = checkLogMatching(members[i]!.log, members[j]!.log);
      if (v !== null) return `${v} (members ${members[i]!.id}, ${members[j]!.id})`;
    }
  }
  return checkLeaderCompleteness(memory, members) ?? checkCommittedIsDurable(memory, members, voters);
}
