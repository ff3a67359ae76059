import { newMessage } from "./message.ts";
import type { Raft } from "./raft.ts";
import type { Message } from "./types.ts";

/** AppendEntries receiver (§5.3): accept and ack, or reject with a hint for fast backtracking. */
export function handleAppendEntries(r: Raft, m: Message): void {
  const resp = newMessage("MsgAppResp", r.id, m.from, r.term);
  if (m.index < r.log.committed) {
    // Everything up to our commit is settled; tell the leader where we are.
    resp.index = r.log.committed;
    r.send(resp);
    return;
  }
  const lastNew = r.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
  if (lastNew >= 0) {
    resp.index = lastNew;
    r.send(resp);
    return;
  }
  // Hint: the largest index ≤ min(prev, our last) whose term is ≤ the leader's prev term. Every
  // index above it surely conflicts, so the leader can skip a whole term per round trip.
  const hint = r.log.findConflictByTerm(Math.min(m.index, r.log.lastIndex()), m.logTerm);
  r.trace(`${r.id} [logterm: ${termText(r, m.index)}, index: ${m.index}] rejected MsgApp [logterm: ${m.logTerm}, index: ${m.index}] from ${m.from}`);
  resp.index = m.index;
  resp.reject = true;
  resp.rejectHint = hint.index;
  resp.logTerm = hint.term;
  r.send(resp);
}

function termText(r: Raft, index: number): string {
  const t = r.log.term(index);
  return t >= 0 ? String(t) : "?";
}

export function handleHeartbeat(r: Raft, m: Message): void {
  r.log.commitTo(m.commit);
  const resp = newMessage("MsgHeartbeatResp", r.id, m.from, r.term);
  resp.context = m.context;
  r.send(resp);
}

export function handleSnapshot(r: Raft, m: Message): void {
  const resp = newMessage("MsgAppResp", r.id, m.from, r.term);
  if (m.snapshot !== null && r.restore(m.snapshot)) {
    resp.index = r.log.lastIndex();
  } else {
    const idx = m.snapshot === null ? 0 : m.snapshot.metadata.index;
    r.trace(`${r.id} [commit: ${r.log.committed}] ignored snapshot [index: ${idx}]`);
    resp.index = r.log.committed;
  }
  r.send(resp);
}
