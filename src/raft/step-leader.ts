import type { Progress } from "./progress.ts";
import type { Raft } from "./raft.ts";
import { NONE, type Message, type RaftResult } from "./types.ts";

/** Leader: replicate, commit, answer reads, check quorum, hand over leadership. */
export function stepLeader(r: Raft, m: Message): RaftResult {
  switch (m.type) {
    case "MsgBeat":
      r.bcastHeartbeat(r.readOnly.option === "safe" ? r.readOnly.lastPendingRequestCtx() : "");
      return "ok";
    case "MsgCheckQuorum":
      checkQuorum(r);
      return "ok";
    case "MsgProp":
      return propose(r, m);
    case "MsgReadIndex":
      readIndex(r, m);
      return "ok";
    default:
      break;
  }
  const pr = r.tracker.get(m.from);
  if (pr === undefined) return "ok"; // not a member (any more)
  switch (m.type) {
    case "MsgAppResp":
      pr.recentActive = true;
      if (m.reject) onAppendRejected(r, m, pr);
      else onAppendAccepted(r, m, pr);
      return "ok";
    case "MsgHeartbeatResp":
      onHeartbeatResp(r, m, pr);
      return "ok";
    case "MsgSnapStatus":
      if (pr.state !== "snapshot") return "ok";
      if (m.reject) pr.pendingSnapshot = 0; // failed: probe from match instead of the snapshot
      pr.becomeProbe();
      // Wait for the follower's answer (or a heartbeat) before sending more.
      pr.msgAppFlowPaused = true;
      r.trace(`${r.id} snapshot ${m.reject ? "failed" : "succeeded"}, resumed sending replication messages to ${m.from}`);
      return "ok";
    case "MsgUnreachable":
      // Streaming optimistically to an unreachable peer would lose messages: probe instead.
      if (pr.state === "replicate") pr.becomeProbe();
      return "ok";
    case "MsgTransferLeader":
      transferLeader(r, m, pr);
      return "ok";
    default:
      return "ok";
  }
}

function checkQuorum(r: Raft): void {
  if (!r.tracker.quorumActive()) {
    r.trace(`${r.id} stepped down to follower since quorum is not active`);
    r.becomeFollower(r.term, NONE);
  }
  // Everyone but us must prove activity again during the next election timeout.
  for (const pr of r.tracker.progress) if (pr.id !== r.id) pr.recentActive = false;
}

function propose(r: Raft, m: Message): RaftResult {
  if (r.tracker.get(r.id) === undefined) {
    r.trace(`${r.id} [term ${r.term}] is no longer a member; dropping proposal`);
    return "proposalDropped";
  }
  if (r.leadTransferee !== NONE) {
    r.trace(`${r.id} [term ${r.term}] transfer leadership to ${r.leadTransferee} is in progress; dropping proposal`);
    return "proposalDropped";
  }
  let entries = m.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.type !== "confChange") continue;
    if (r.pendingConfIndex > r.log.applied) {
      // One change at a time: the previous one must be applied before the next is proposed.
      r.trace(`${r.id} ignoring conf change ${e.data} at config: pending conf change at index ${r.pendingConfIndex} (applied ${r.log.applied})`);
      if (entries === m.entries) entries = entries.slice(); // never mutate a received message
      entries[i] = { term: 0, index: 0, type: "normal", data: "" };
    } else {
      r.pendingConfIndex = r.log.lastIndex() + i + 1;
    }
  }
  r.appendEntries(entries);
  r.bcastAppend();
  return "ok";
}

function readIndex(r: Raft, m: Message): void {
  if (r.tracker.isSingleton()) {
    r.respondToReadIndex(m, r.log.committed);
    return;
  }
  // Until an entry of our term commits we do not know the true commit index (§6.4).
  if (!r.committedEntryInCurrentTerm()) {
    r.pendingReadIndexMessages.push(m);
    return;
  }
  r.startReadIndex(m);
}

function onAppendRejected(r: Raft, m: Message, pr: Progress): void {
  r.trace(`${r.id} received MsgAppResp(rejected, hint: (index ${m.rejectHint}, term ${m.logTerm})) from ${m.from} for index ${m.index}`);
  let nextProbe = m.rejectHint;
  // The follower told us its term at the hint; skip our entries of newer terms in one go.
  if (m.logTerm > 0) nextProbe = r.log.findConflictByTerm(m.rejectHint, m.logTerm).index;
  if (pr.maybeDecrTo(m.index, nextProbe)) {
    if (pr.state === "replicate") pr.becomeProbe();
    r.sendAppend(m.from);
  }
}

function onAppendAccepted(r: Raft, m: Message, pr: Progress): void {
  const wasPaused = pr.isPaused();
  if (!pr.maybeUpdate(m.index) && !(pr.match === m.index && pr.state === "probe")) return;
  if (pr.state === "probe") {
    pr.becomeReplicate();
  } else if (pr.state === "snapshot" && pr.match + 1 >= r.log.firstIndex()) {
    // The follower caught up past our compaction point (e.g. through an ack of a snapshot sent
    // earlier): no need to wait for the snapshot report.
    pr.becomeProbe();
    pr.becomeReplicate();
  } else if (pr.state === "replicate") {
    pr.inflights.freeLE(m.index);
  }
  if (r.maybeCommit()) {
    r.releasePendingReadIndexMessages();
    r.bcastAppend();
  } else if (wasPaused) {
    r.sendAppend(m.from);
  }
  // The window may have opened: send as much as flow control allows.
  while (r.maybeSendAppend(m.from, false)) {
    /* keep filling the in-flight window */
  }
  if (m.from === r.leadTransferee && pr.match === r.log.lastIndex()) {
    r.trace(`${r.id} sent MsgTimeoutNow to ${m.from} after received MsgAppResp`);
    r.sendTimeoutNow(m.from);
  }
}

function onHeartbeatResp(r: Raft, m: Message, pr: Progress): void {
  pr.recentActive = true;
  pr.msgAppFlowPaused = false;
  if (pr.match < r.log.lastIndex() || pr.state === "probe") r.sendAppend(m.from);
  if (r.readOnly.option !== "safe" || m.context === "") return;
  const acks = r.readOnly.recvAck(m.from, m.context);
  if (acks === null || r.tracker.ackResult(acks) !== "won") return;
  for (const status of r.readOnly.advance(m.context)) r.respondToReadIndex(status.request, status.index);
}

function transferLeader(r: Raft, m: Message, pr: Progress): void {
  const transferee = m.from;
  if (pr.isLearner) {
    r.trace(`${r.id} [term ${r.term}] ignored transferring leadership to learner ${transferee}`);
    return;
  }
  if (r.leadTransferee !== NONE) {
    if (r.leadTransferee === transferee) {
      r.trace(`${r.id} [term ${r.term}] transfer leadership to ${transferee} is in progress, ignores request to same node`);
      return;
    }
    r.trace(`${r.id} [term ${r.term}] abort previous transferring leadership to ${r.leadTransferee}`);
    r.abortLeaderTransfer();
  }
  if (transferee === r.id) {
    r.trace(`${r.id} is already leader. Ignored transferring leadership to self`);
    return;
  }
  r.trace(`${r.id} [term ${r.term}] starts to transfer leadership to ${transferee}`);
  // The transfer must finish within one election timeout, else it is aborted (tick).
  r.electionElapsed = 0;
  r.leadTransferee = transferee;
  if (pr.match === r.log.lastIndex()) {
    r.trace(`${r.id} sends MsgTimeoutNow to ${transferee} immediately as ${transferee} already has up-to-date log`);
    r.sendTimeoutNow(transferee);
  } else {
    r.sendAppend(transferee);
  }
}
