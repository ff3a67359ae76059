import { NO_ENTRIES } from "./raft-log.ts";
import type { Entry, Message, MessageType, NodeId } from "./types.ts";

/** A message with every field present (one hidden class for all messages). */
export function newMessage(type: MessageType, from: NodeId, to: NodeId, term: number): Message {
  return {
    type,
    from,
    to,
    term,
    logTerm: 0,
    index: 0,
    entries: NO_ENTRIES,
    commit: 0,
    reject: false,
    rejectHint: 0,
    snapshot: null,
    context: "",
  };
}

export function isLocalMessage(type: MessageType): boolean {
  return (
    type === "MsgHup" ||
    type === "MsgBeat" ||
    type === "MsgCheckQuorum" ||
    type === "MsgUnreachable" ||
    type === "MsgSnapStatus"
  );
}

export function isResponseMessage(type: MessageType): boolean {
  return (
    type === "MsgAppResp" ||
    type === "MsgVoteResp" ||
    type === "MsgPreVoteResp" ||
    type === "MsgHeartbeatResp" ||
    type === "MsgReadIndexResp"
  );
}

export function voteResponseType(type: MessageType): MessageType {
  return type === "MsgPreVote" ? "MsgPreVoteResp" : "MsgVoteResp";
}

export function entriesWithData(data: string): Entry[] {
  return [{ term: 0, index: 0, type: "normal", data }];
}
