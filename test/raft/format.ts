import type { Entry, Message, Ready, Snapshot } from "../../src/raft/types.ts";
import { formatConfState } from "../../src/raft/confchange.ts";

/** Readable one-line forms of Raft data for golden files (etcd's Describe* style). */

export function formatEntry(e: Entry): string {
  if (e.type === "confChange") return `${e.term}/${e.index} EntryConfChange ${e.data === "" ? "(noop)" : e.data}`;
  return `${e.term}/${e.index} EntryNormal ${JSON.stringify(e.data)}`;
}

export function formatEntries(es: readonly Entry[]): string {
  return `[${es.map(formatEntry).join(", ")}]`;
}

export function formatSnapshot(s: Snapshot): string {
  return `Index:${s.metadata.index} Term:${s.metadata.term} ConfState:${formatConfState(s.metadata.confState)}`;
}

export function formatMessage(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} Term:${m.term}`;
  switch (m.type) {
    case "MsgApp":
      return `${head} Log:${m.logTerm}/${m.index} Commit:${m.commit}${m.entries.length > 0 ? ` Entries:${formatEntries(m.entries)}` : ""}`;
    case "MsgAppResp":
      return m.reject ? `${head} Log:0/${m.index} Rejected (Hint: ${m.logTerm}/${m.rejectHint})` : `${head} Log:0/${m.index}`;
    case "MsgVote":
    case "MsgPreVote":
      return `${head} Log:${m.logTerm}/${m.index}${m.context !== "" ? ` Context:${m.context}` : ""}`;
    case "MsgVoteResp":
    case "MsgPreVoteResp":
      return m.reject ? `${head} Rejected` : head;
    case "MsgHeartbeat":
      return `${head} Commit:${m.commit}${m.context !== "" ? ` Context:${m.context}` : ""}`;
    case "MsgHeartbeatResp":
      return `${head}${m.context !== "" ? ` Context:${m.context}` : ""}`;
    case "MsgSnap":
      return `${head} Snapshot: ${m.snapshot === null ? "none" : formatSnapshot(m.snapshot)}`;
    case "MsgProp":
      return `${head} Entries:${formatEntries(m.entries)}`;
    case "MsgReadIndex":
      return `${head} Context:${m.context}`;
    case "MsgReadIndexResp":
      return `${head} Index:${m.index} Context:${m.context}`;
    default:
      return head;
  }
}

const ROLE_NAMES = {
  follower: "StateFollower",
  preCandidate: "StatePreCandidate",
  candidate: "StateCandidate",
  leader: "StateLeader",
} as const;

export function roleName(role: keyof typeof ROLE_NAMES): string {
  return ROLE_NAMES[role];
}

export function formatReady(rd: Ready): string[] {
  const out: string[] = [`Ready MustSync=${rd.mustSync}:`];
  if (rd.softState !== null) out.push(`Lead:${rd.softState.lead} State:${roleName(rd.softState.role)}`);
  if (rd.hardState !== null) out.push(`HardState Term:${rd.hardState.term} Vote:${rd.hardState.vote} Commit:${rd.hardState.commit}`);
  if (rd.entries.length > 0) {
    out.push("Entries:");
    for (const e of rd.entries) out.push(formatEntry(e));
  }
  if (rd.snapshot !== null) out.push(`Snapshot ${formatSnapshot(rd.snapshot)}`);
  if (rd.committedEntries.length > 0) {
    out.push("CommittedEntries:");
    for (const e of rd.committedEntries) out.push(formatEntry(e));
  }
  if (rd.readStates.length > 0) {
    out.push("ReadStates:");
    for (const rs of rd.readStates) out.push(`Index:${rs.index} Ctx:${rs.requestCtx}`);
  }
  if (rd.messages.length > 0) {
    out.push("Messages:");
    for (const m of rd.messages) out.push(formatMessage(m));
  }
  return out;
}
