/** The public surface of the Raft library (what a host such as src/sim/raft needs). */
export { RaftNode } from "./raft-node.ts";
export { MemoryStorage, TERM_COMPACTED, TERM_UNAVAILABLE, emptyConfState, entrySize, type InitialState } from "./storage.ts";
export { encodeConfChange, decodeConfChange, applyConfChangeTo, formatConfState } from "./confchange.ts";
export {
  checkAll,
  checkCommittedIsDurable,
  checkElectionSafety,
  checkLeaderAppendOnly,
  checkLeaderCompleteness,
  checkLogMatching,
  entryKey,
  newInvariantMemory,
  recordApplied,
  recordCommitted,
  type InvariantMemory,
  type LogLike,
  type MemberView,
} from "./invariants.ts";
export { committedIndex, majority, tallyVotes, type VoteResult } from "./quorum.ts";
export type { RaftLogger } from "./raft.ts";
export * from "./types.ts";
