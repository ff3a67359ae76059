import { handleAppendEntries, handleHeartbeat, handleSnapshot } from "./follower-handlers.ts";
import type { Raft } from "./raft.ts";
import { NONE, type Message, type RaftResult } from "./types.ts";

/** Follower: accept the leader's messages, forward client requests to it. */
export function stepFollower(r: Raft, m: Message, campaignTransfer: () => void): RaftResult {
  switch (m.type) {
    case "MsgProp":
      if (r.lead === NONE) {
        r.trace(`${r.id} no leader at term ${r.term}; dropping proposal`);
        return "proposalDropped";
      }
      m.to = r.lead;
      r.send(m);
      return "ok";
    case "MsgApp":
      r.electionElapsed = 0;
      r.lead = m.from;
      handleAppendEntries(r, m);
      return "ok";
    case "MsgHeartbeat":
      r.electionElapsed = 0;
      r.lead = m.from;
      handleHeartbeat(r, m);
      return "ok";
    case "MsgSnap":
      r.electionElapsed = 0;
      r.lead = m.from;
      handleSnapshot(r, m);
      return "ok";
    case "MsgTransferLeader":
      if (r.lead === NONE) {
        r.trace(`${r.id} no leader at term ${r.term}; dropping leader transfer msg`);
        return "proposalDropped";
      }
      m.to = r.lead;
      r.send(m);
      return "ok";
    case "MsgTimeoutNow":
      // A transfer never uses pre-vote: the leader asked for it, nobody is partitioned.
      r.trace(`${r.id} [term ${r.term}] received MsgTimeoutNow from ${m.from} and starts an election to get leadership`);
      campaignTransfer();
      return "ok";
    case "MsgReadIndex":
      if (r.lead === NONE) {
        r.trace(`${r.id} no leader at term ${r.term}; dropping index reading msg`);
        return "proposalDropped";
      }
      m.to = r.lead;
      r.send(m);
      return "ok";
    case "MsgReadIndexResp":
      r.readStates.push({ index: m.index, requestCtx: m.context });
      return "ok";
    default:
      return "ok";
  }
}
