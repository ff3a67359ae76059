import { newMessage, voteResponseType } from "./message.ts";
import { CAMPAIGN_TRANSFER, type Raft } from "./raft.ts";
import { stepCandidate } from "./step-candidate.ts";
import { stepFollower } from "./step-follower.ts";
import { stepLeader } from "./step-leader.ts";
import { NONE, type Message, type MessageType, type RaftResult } from "./types.ts";

export type CampaignKind = "preElection" | "election" | "transfer";

/**
 * The entry point for every input (etcd's raft.Step): first the term rules shared by all roles,
 * then vote requests, then the role's own step function.
 */
export function stepRaft(r: Raft, m: Message): RaftResult {
  if (m.term > r.term) {
    if (!acceptHigherTerm(r, m)) return "ok";
  } else if (m.term !== 0 && m.term < r.term) {
    answerStaleTerm(r, m);
    return "staleMessage";
  }
  switch (m.type) {
    case "MsgHup":
      hup(r, r.config.preVote ? "preElection" : "election");
      return "ok";
    case "MsgVote":
    case "MsgPreVote":
      handleVoteRequest(r, m);
      return "ok";
    default:
      break;
  }
  switch (r.role) {
    case "leader":
      return stepLeader(r, m);
    case "candidate":
    case "preCandidate":
      return stepCandidate(r, m, () => campaign(r, "election"));
    case "follower":
      return stepFollower(r, m, () => hup(r, "transfer"));
  }
}

/** A message from a higher term. Returns false when it must be ignored. */
function acceptHigherTerm(r: Raft, m: Message): boolean {
  if (m.type === "MsgVote" || m.type === "MsgPreVote") {
    const force = m.context === CAMPAIGN_TRANSFER;
    // CheckQuorum lease: we heard from a live leader less than an election timeout ago, so
    // this candidate is disruptive (e.g. just rejoined from a partition); ignore it.
    const inLease = r.config.checkQuorum && r.lead !== NONE && r.electionElapsed < r.electionTimeout;
    if (!force && inLease) {
      r.trace(`${r.id} [logterm: ${r.log.lastTerm()}, index: ${r.log.lastIndex()}, vote: ${r.vote}] ignored ${m.type} from ${m.from} [logterm: ${m.logTerm}, index: ${m.index}] at term ${r.term}: lease is not expired (remaining ticks: ${r.electionTimeout - r.electionElapsed})`);
      return false;
    }
  }
  // A pre-vote carries a future term: it must not move ours. A granted pre-vote response does
  // not either (we bump the term only when a quorum granted); a rejection means we are behind.
  if (m.type === "MsgPreVote") return true;
  if (m.type === "MsgPreVoteResp" && !m.reject) return true;
  r.trace(`${r.id} [term: ${r.term}] received a ${m.type} message with higher term from ${m.from} [term: ${m.term}]`);
  const leaderMessage = m.type === "MsgApp" || m.type === "MsgHeartbeat" || m.type === "MsgSnap";
  r.becomeFollower(m.term, leaderMessage ? m.from : NONE);
  return true;
}

function answerStaleTerm(r: Raft, m: Message): void {
  if ((r.config.checkQuorum || r.config.preVote) && (m.type === "MsgHeartbeat" || m.type === "MsgApp")) {
    // A leader cut off from us (and whose term we passed) would otherwise never learn it is
    // stale: with CheckQuorum or PreVote our term may not reach it through votes.
    r.send(newMessage("MsgAppResp", r.id, m.from, r.term));
  } else if (m.type === "MsgPreVote") {
    // Tell the pre-candidate about our term, or it would wait in vain.
    const resp = newMessage("MsgPreVoteResp", r.id, m.from, r.term);
    resp.reject = true;
    r.send(resp);
  } else {
    r.trace(`${r.id} [term: ${r.term}] ignored a ${m.type} message with lower term from ${m.from} [term: ${m.term}]`);
  }
}

function handleVoteRequest(r: Raft, m: Message): void {
  const respType: MessageType = voteResponseType(m.type);
  // Grant if we already voted for it (a retry), or we have neither a vote nor a leader in this
  // term, or it is a pre-vote for a future term. A learner votes too if asked: it may have been
  // promoted by a change it has not seen yet.
  const canVote =
    r.vote === m.from || (r.vote === NONE && r.lead === NONE) || (m.type === "MsgPreVote" && m.term > r.term);
  const lastTerm = r.log.lastTerm();
  const lastIndex = r.log.lastIndex();
  if (canVote && r.log.isUpToDate(m.index, m.logTerm)) {
    r.trace(`${r.id} [logterm: ${lastTerm}, index: ${lastIndex}, vote: ${r.vote}] cast ${m.type} for ${m.from} [logterm: ${m.logTerm}, index: ${m.index}] at term ${r.term}`);
    // The response carries the request's term: a pre-vote grant must not look stale to the
    // pre-candidate (whose term is one lower), and for real votes it equals ours.
    r.send(newMessage(respType, r.id, m.from, m.term));
    if (m.type === "MsgVote") {
      r.electionElapsed = 0;
      r.vote = m.from;
    }
  } else {
    r.trace(`${r.id} [logterm: ${lastTerm}, index: ${lastIndex}, vote: ${r.vote}] rejected ${m.type} from ${m.from} [logterm: ${m.logTerm}, index: ${m.index}] at term ${r.term}`);
    const resp = newMessage(respType, r.id, m.from, r.term);
    resp.reject = true;
    r.send(resp);
  }
}

/** Start an election unless this node is a leader, cannot vote or must first apply a conf change. */
export function hup(r: Raft, kind: CampaignKind): void {
  if (r.role === "leader") {
    r.trace(`${r.id} ignoring MsgHup because already leader`);
    return;
  }
  if (!r.promotable()) {
    r.trace(`${r.id} is unpromotable and can not campaign`);
    return;
  }
  if (r.hasUnappliedConfChanges()) {
    r.trace(`${r.id} cannot campaign at term ${r.term} since there are still pending configuration changes to apply`);
    return;
  }
  r.trace(`${r.id} is starting a new election at term ${r.term}`);
  campaign(r, kind);
}

export function campaign(r: Raft, kind: CampaignKind): void {
  let voteType: MessageType;
  let term: number;
  if (kind === "preElection") {
    r.becomePreCandidate();
    voteType = "MsgPreVote";
    term = r.term + 1; // the term we would campaign in; ours does not change yet
  } else {
    r.becomeCandidate();
    voteType = "MsgVote";
    term = r.term;
  }
  r.tracker.recordVote(r.id, true);
  if (r.tracker.tally().result === "won") {
    // Single voter: we won outright.
    if (kind === "preElection") campaign(r, "election");
    else r.becomeLeader();
    return;
  }
  const lastIndex = r.log.lastIndex();
  const lastTerm = r.log.lastTerm();
  for (const id of r.tracker.voters) {
    if (id === r.id) continue;
    r.trace(`${r.id} [logterm: ${lastTerm}, index: ${lastIndex}] sent ${voteType} request to ${id} at term ${term}`);
    const m = newMessage(voteType, r.id, id, term);
    m.index = lastIndex;
    m.logTerm = lastTerm;
    if (kind === "transfer") m.context = CAMPAIGN_TRANSFER;
    r.send(m);
  }
}

/** One logical clock tick. */
export function tick(r: Raft): void {
  if (r.role === "leader") tickHeartbeat(r);
  else tickElection(r);
}

function tickElection(r: Raft): void {
  r.electionElapsed++;
  if (r.promotable() && r.pastElectionTimeout()) {
    r.electionElapsed = 0;
    stepRaft(r, newMessage("MsgHup", r.id, r.id, 0));
  }
}

function tickHeartbeat(r: Raft): void {
  r.heartbeatElapsed++;
  r.electionElapsed++;
  if (r.electionElapsed >= r.electionTimeout) {
    r.electionElapsed = 0;
    if (r.config.checkQuorum) stepRaft(r, newMessage("MsgCheckQuorum", r.id, r.id, 0));
    // A transfer that did not finish within an election timeout is abandoned.
    if (r.role === "leader" && r.leadTransferee !== NONE) {
      r.trace(`${r.id} [term ${r.term}] leadership transfer to ${r.leadTransferee} timed out, aborted`);
      r.abortLeaderTransfer();
    }
  }
  if (r.role !== "leader") return;
  if (r.heartbeatElapsed >= r.heartbeatTimeout) {
    r.heartbeatElapsed = 0;
    stepRaft(r, newMessage("MsgBeat", r.id, r.id, 0));
  }
}
