import { assert } from "../model/assert.ts";
import type { Prng } from "../model/prng.ts";
import { applyConfChangeTo, formatConfState } from "./confchange.ts";
import { newMessage } from "./message.ts";
import { NO_ENTRIES, RaftLog } from "./raft-log.ts";
import { ReadOnly } from "./read-only.ts";
import type { MemoryStorage } from "./storage.ts";
import { ProgressTracker } from "./tracker.ts";
import {
  NONE,
  type ConfChange,
  type ConfState,
  type Entry,
  type Message,
  type NodeId,
  type RaftConfig,
  type RaftRole,
  type ReadState,
  type Snapshot,
} from "./types.ts";

/** A leadership-transfer election: voters grant it even while they think a leader is alive. */
export const CAMPAIGN_TRANSFER = "transfer";

export type RaftLogger = (line: string) => void;

/**
 * The Raft state machine's state and its mechanics (role changes, sending, committing). The
 * message handlers live in step*.ts as plain functions over this object; the host-facing API is
 * RaftNode. Fields are public for those functions and for tests; treat them as read-only outside
 * src/raft.
 */
export class Raft {
  readonly id: NodeId;
  readonly config: RaftConfig;
  readonly log: RaftLog;
  readonly tracker: ProgressTracker;
  readonly readOnly: ReadOnly;
  private readonly prng: Prng;

  term = 0;
  vote: NodeId = NONE;
  lead: NodeId = NONE;
  role: RaftRole = "follower";
  isLearner = false;

  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  readonly electionTimeout: number;
  readonly heartbeatTimeout: number;

  /** Index of the latest conf change proposed by this leader; another waits until it is applied. */
  pendingConfIndex = 0;
  leadTransferee: NodeId = NONE;
  /** Read requests received before this leader committed an entry of its term. */
  pendingReadIndexMessages: Message[] = [];

  msgs: Message[] = [];
  readStates: ReadState[] = [];
  logger: RaftLogger | null = null;

  constructor(config: RaftConfig, storage: MemoryStorage, prng: Prng) {
    assert(config.id > 0, `raft id must be positive, got ${config.id}`);
    assert(config.heartbeatTicks > 0, "heartbeatTicks must be positive");
    assert(config.electionTicks > config.heartbeatTicks, "electionTicks must exceed heartbeatTicks");
    assert(config.maxInflightMsgs > 0, "maxInflightMsgs must be positive");
    assert(config.readOnlyOption !== "lease" || config.checkQuorum, "lease reads require checkQuorum");
    this.id = config.id;
    this.config = config;
    this.prng = prng;
    this.electionTimeout = config.electionTicks;
    this.heartbeatTimeout = config.heartbeatTicks;
    this.log = new RaftLog(storage);
    this.tracker = new ProgressTracker(config.maxInflightMsgs);
    this.readOnly = new ReadOnly(config.readOnlyOption);

    const initial = storage.initialState();
    const stored = initial.confState;
    const conf: ConfState =
      stored.voters.length + stored.learners.length > 0
        ? stored
        : { voters: config.peers.slice(), learners: (config.learners ?? []).slice(), votersOutgoing: [] };
    this.tracker.setConfig(conf, this.log.lastIndex() + 1);
    this.isLearner = this.tracker.get(this.id)?.isLearner ?? false;

    const hs = initial.hardState;
    if (hs.term !== 0 || hs.vote !== NONE || hs.commit !== 0) {
      const last = this.log.lastIndex();
      assert(hs.commit >= this.log.committed && hs.commit <= last, `hard state commit ${hs.commit} outside [${this.log.committed}, ${last}]`);
      this.log.committed = hs.commit;
      this.term = hs.term;
      this.vote = hs.vote;
    }
    if (config.applied !== undefined && config.applied > 0) this.log.appliedTo(config.applied);
    this.becomeFollower(this.term, NONE);
    this.trace(`newRaft ${this.id} [${formatConfState(conf)}] term: ${this.term} commit: ${this.log.committed} applied: ${this.log.applied} lastindex: ${this.log.lastIndex()} lastterm: ${this.log.lastTerm()}`);
  }

  trace(line: string): void {
    if (this.logger !== null) this.logger(line);
  }

  // ---------------------------------------------------------------- sending

  /** Queue a message; it leaves with the next Ready (after that Ready's state is durable). */
  send(m: Message): void {
    if (m.from === NONE) m.from = this.id;
    this.msgs.push(m);
  }

  /** Send entries (or an empty probe) to `to`; falls back to a snapshot when the log is compacted. */
  maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.tracker.get(to);
    if (pr === undefined || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm < 0) return this.maybeSendSnapshot(to);
    let entries = NO_ENTRIES;
    const last = this.log.lastIndex();
    // A full window still allows an empty probe (e.g. after a heartbeat response) but no entries.
    const windowFull = pr.state === "replicate" && pr.inflights.full();
    if (pr.next <= last && !windowFull) {
      const slice = this.log.slice(pr.next, last + 1, this.config.maxSizePerMsg);
      if (slice === null) return this.maybeSendSnapshot(to);
      entries = slice;
    }
    if (entries.length === 0 && !sendIfEmpty) return false;
    const m = newMessage("MsgApp", this.id, to, this.term);
    m.index = prevIndex;
    m.logTerm = prevTerm;
    m.entries = entries;
    m.commit = this.log.committed;
    this.send(m);
    pr.sentEntries(entries.length);
    return true;
  }

  sendAppend(to: NodeId): void {
    this.maybeSendAppend(to, true);
  }

  private maybeSendSnapshot(to: NodeId): boolean {
    const pr = this.tracker.get(to);
    if (pr === undefined) return false;
    if (!pr.recentActive) {
      this.trace(`${this.id} ignored sending snapshot to ${to} since it is not recently active`);
      return false;
    }
    const snapshot = this.log.snapshot();
    assert(snapshot.metadata.index > 0, "need a non-empty snapshot to catch up a follower");
    const m = newMessage("MsgSnap", this.id, to, this.term);
    m.snapshot = snapshot;
    this.send(m);
    pr.becomeSnapshot(snapshot.metadata.index);
    this.trace(`${this.id} [firstindex: ${this.log.firstIndex()}, commit: ${this.log.committed}] sent snapshot[index: ${snapshot.metadata.index}, term: ${snapshot.metadata.term}] to ${to}`);
    return true;
  }

  /** Heartbeats carry commit capped at the follower's match: it may not have the entries yet. */
  sendHeartbeat(to: NodeId, ctx: string): void {
    const pr = this.tracker.get(to);
    const m = newMessage("MsgHeartbeat", this.id, to, this.term);
    m.commit = Math.min(pr === undefined ? 0 : pr.match, this.log.committed);
    m.context = ctx;
    this.send(m);
  }

  bcastAppend(): void {
    const prs = this.tracker.progress;
    for (let i = 0; i < prs.length; i++) {
      const id = prs[i]!.id;
      if (id !== this.id) this.sendAppend(id);
    }
  }

  bcastHeartbeat(ctx: string): void {
    for (const pr of this.tracker.progress) if (pr.id !== this.id) this.sendHeartbeat(pr.id, ctx);
  }

  sendTimeoutNow(to: NodeId): void {
    this.send(newMessage("MsgTimeoutNow", this.id, to, this.term));
  }

  // ---------------------------------------------------------------- commit

  /** Advance commit to the quorum match, but only for an entry of the current term (§5.4.2). */
  maybeCommit(): boolean {
    const index = this.tracker.committed();
    if (index <= this.log.committed) return false;
    if (this.log.term(index) !== this.term) return false;
    this.log.commitTo(index);
    return true;
  }

  committedEntryInCurrentTerm(): boolean {
    return this.log.term(this.log.committed) === this.term;
  }

  /** The leader's own log is durable up to `index` (called from advance()). */
  selfAck(index: number): void {
    if (this.role !== "leader") return;
    const pr = this.tracker.get(this.id);
    if (pr === undefined || !pr.maybeUpdate(index)) return;
    if (this.maybeCommit()) {
      this.releasePendingReadIndexMessages();
      this.bcastAppend();
    }
  }

  // ---------------------------------------------------------------- roles

  private resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.prng.int(this.electionTimeout, 2 * this.electionTimeout);
  }

  /** Test hook (etcd's set-randomized-election-timeout). */
  setRandomizedElectionTimeout(ticks: number): void {
    this.randomizedElectionTimeout = ticks;
  }

  pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout;
  }

  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.leadTransferee = NONE;
    this.tracker.resetVotes();
    const next = this.log.lastIndex() + 1;
    for (const pr of this.tracker.progress) {
      pr.reset(next);
      if (pr.id === this.id) pr.match = this.log.stableLastIndex();
    }
    this.pendingConfIndex = 0;
    this.readOnly.reset();
    this.pendingReadIndexMessages = [];
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.role = "follower";
    this.trace(`${this.id} became follower at term ${this.term}`);
  }

  becomePreCandidate(): void {
    assert(this.role !== "leader", "invalid transition leader -> preCandidate");
    // Term and vote stay: a pre-election must not disturb anyone if it fails.
    this.tracker.resetVotes();
    this.lead = NONE;
    this.role = "preCandidate";
    this.trace(`${this.id} became pre-candidate at term ${this.term}`);
  }

  becomeCandidate(): void {
    assert(this.role !== "leader", "invalid transition leader -> candidate");
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = "candidate";
    this.trace(`${this.id} became candidate at term ${this.term}`);
  }

  becomeLeader(): void {
    assert(this.role !== "follower", "invalid transition follower -> leader");
    this.reset(this.term);
    this.lead = this.id;
    this.role = "leader";
    const self = this.tracker.get(this.id);
    if (self !== undefined) {
      self.becomeReplicate();
      self.recentActive = true;
    }
    // A conf change may hide in the uncommitted tail: refuse new ones until it is applied.
    this.pendingConfIndex = this.log.lastIndex();
    // An entry of the new term lets the leader commit everything before it (§5.4.2).
    this.appendEntries([{ term: 0, index: 0, type: "normal", data: "" }]);
    this.trace(`${this.id} became leader at term ${this.term}`);
  }

  /**
   * Leader: append new entries stamped with our term and the next indexes (self-ack on advance).
   * Entries are copied: a proposal message may be delivered twice (network duplication) and its
   * objects are shared with the sender, so they must never be mutated.
   */
  appendEntries(proposed: readonly Entry[]): void {
    let index = this.log.lastIndex();
    const stamped: Entry[] = new Array(proposed.length);
    for (let i = 0; i < proposed.length; i++) {
      const e = proposed[i]!;
      stamped[i] = { term: this.term, index: ++index, type: e.type, data: e.data };
    }
    this.log.append(stamped);
  }

  promotable(): boolean {
    const pr = this.tracker.get(this.id);
    return pr !== undefined && !pr.isLearner && this.log.unstableSnapshot === null;
  }

  abortLeaderTransfer(): void {
    this.leadTransferee = NONE;
  }

  // ---------------------------------------------------------------- reads

  /** Answer a read request at `index`: locally (own request) or to the follower that asked. */
  respondToReadIndex(request: Message, index: number): void {
    if (request.from === NONE || request.from === this.id) {
      this.readStates.push({ index, requestCtx: request.context });
      return;
    }
    const m = newMessage("MsgReadIndexResp", this.id, request.from, this.term);
    m.index = index;
    m.context = request.context;
    this.send(m);
  }

  /** Leader with a current-term commit: start a safe read round, or answer at once under lease. */
  startReadIndex(request: Message): void {
    if (this.readOnly.option === "lease") {
      this.respondToReadIndex(request, this.log.committed);
      return;
    }
    this.readOnly.addRequest(this.log.committed, request);
    const acks = this.readOnly.recvAck(this.id, request.context);
    if (acks !== null && this.tracker.ackResult(acks) === "won") {
      for (const status of this.readOnly.advance(request.context)) this.respondToReadIndex(status.request, status.index);
      return;
    }
    this.bcastHeartbeat(request.context);
  }

  releasePendingReadIndexMessages(): void {
    if (this.pendingReadIndexMessages.length === 0 || !this.committedEntryInCurrentTerm()) return;
    const pending = this.pendingReadIndexMessages;
    this.pendingReadIndexMessages = [];
    for (const m of pending) this.startReadIndex(m);
  }

  // ---------------------------------------------------------------- snapshots and membership

  /** Follower: adopt a snapshot newer than our commit. False if it adds nothing. */
  restore(snapshot: Snapshot): boolean {
    const { index, term } = snapshot.metadata;
    if (index <= this.log.committed) return false;
    if (this.role !== "follower") this.becomeFollower(this.term + 1, NONE);
    if (this.log.matchTerm(index, term)) {
      // We already have the entries: just learn that they are committed.
      this.trace(`${this.id} [commit: ${this.log.committed}] fast-forwarded commit to snapshot [index: ${index}, term: ${term}]`);
      this.log.commitTo(index);
      return false;
    }
    this.log.restore(snapshot);
    this.tracker.progress = [];
    this.tracker.setConfig(snapshot.metadata.confState, this.log.lastIndex() + 1);
    this.isLearner = this.tracker.get(this.id)?.isLearner ?? false;
    this.trace(`${this.id} [commit: ${this.log.committed}] restored snapshot [index: ${index}, term: ${term}] ${formatConfState(snapshot.metadata.confState)}`);
    return true;
  }

  /** Apply a committed conf change (the host calls this while applying entries). */
  applyConfChange(cc: ConfChange): ConfState {
    const next = applyConfChangeTo(this.tracker.confState(), cc);
    if (typeof next === "string") {
      this.trace(`${this.id} refused conf change ${cc.type} ${cc.nodeId}: ${next}`);
      return this.tracker.confState();
    }
    this.switchToConfig(next);
    return this.tracker.confState();
  }

  private switchToConfig(conf: ConfState): void {
    this.tracker.setConfig(conf, this.log.lastIndex() + 1);
    const self = this.tracker.get(this.id);
    this.isLearner = self?.isLearner ?? false;
    this.trace(`${this.id} switched to configuration ${formatConfState(conf)}`);
    if (this.role !== "leader") return;
    if (self === undefined || self.isLearner) {
      // Removed (or demoted) leader: it no longer counts toward quorums.
      if (this.config.stepDownOnRemoval === true) this.becomeFollower(this.term, NONE);
      return;
    }
    if (this.maybeCommit()) {
      this.releasePendingReadIndexMessages();
      this.bcastAppend();
    } else {
      // Probe new members right away instead of waiting for a heartbeat.
      for (const pr of this.tracker.progress) if (pr.id !== this.id) this.maybeSendAppend(pr.id, false);
    }
    if (this.leadTransferee !== NONE && !this.tracker.isVoter(this.leadTransferee)) this.abortLeaderTransfer();
  }

  /** Committed entries not yet applied contain a conf change (a node must not campaign then). */
  hasUnappliedConfChanges(): boolean {
    if (this.log.applied >= this.log.committed) return false;
    const entries = this.log.slice(this.log.applied + 1, this.log.committed + 1, Infinity);
    if (entries === null) return false;
    for (const e of entries) if (e.type === "confChange") return true;
    return false;
  }
}
