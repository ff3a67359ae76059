import { handleAppendEntries, handleHeartbeat, handleSnapshot } from "./follower-handlers.ts";
import type { Raft } from "./raft.ts";
import { NONE, type Message, type RaftResult } from "./types.ts";

/**
 * Candidate and pre-candidate: count votes; a leader of our term (or higher, already handled by
 * step) makes us a follower.
 */
export function stepCandidate(r: Raft, m: Message, startElection: () => void): RaftResult {
  const myVoteResp = r.role === "preCandidate" ? "MsgPreVoteResp" : "MsgVoteResp";
  switch (m.type) {
    case "MsgProp":
      r.trace(`${r.id} no leader at term ${r.term}; dropping proposal`);
      return "proposalDropped";
    case "MsgApp":
      r.becomeFollower(m.term, m.from);
      handleAppendEntries(r, m);
      return "ok";
    case "MsgHeartbeat":
      r.becomeFollower(m.term, m.from);
      handleHeartbeat(r, m);
      return "ok";
    case "MsgSnap":
      r.becomeFollower(m.term, m.from);
      handleSnapshot(r, m);
      return "ok";
    case "MsgPreVoteResp":
    case "MsgVoteResp": {
      if (m.type !== myVoteResp) return "ok";
      r.tracker.recordVote(m.from, !m.reject);
      const { granted, rejected, result } = r.tracker.tally();
      r.trace(`${r.id} has received ${granted} ${myVoteResp} votes and ${rejected} vote rejections`);
      if (result === "won") {
        if (r.role === "preCandidate") {
          startElection();
        } else {
          r.becomeLeader();
          r.bcastAppend();
        }
      } else if (result === "lost") {
        // A pre-candidate that lost goes back to its old term; a candidate stays in its new one.
        r.becomeFollower(r.term, NONE);
      }
      return "ok";
    }
    case "MsgTimeoutNow":
      r.trace(`${r.id} [term ${r.term} state ${r.role}] ignored MsgTimeoutNow from ${m.from}`);
      return "ok";
    default:
      return "ok";
  }
}
