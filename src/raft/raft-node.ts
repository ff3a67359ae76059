import { assert } from "../model/assert.ts";
import type { Prng } from "../model/prng.ts";
import { isLocalMessage, isResponseMessage, newMessage } from "./message.ts";
import { NO_ENTRIES } from "./raft-log.ts";
import { Raft, type RaftLogger } from "./raft.ts";
import { stepRaft, tick } from "./step.ts";
import type { MemoryStorage } from "./storage.ts";
import {
  NONE,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type RaftConfig,
  type RaftResult,
  type RaftStatus,
  type Ready,
  type SoftState,
} from "./types.ts";
import { encodeConfChange } from "./confchange.ts";

const NO_MESSAGES: Message[] = [];

/**
 * One Raft member, IO-less (etcd-raft's RawNode). The host drives it:
 *   tick() on its clock, step(m) for each received message, propose()/readIndex()/… for clients,
 *   and `if (node.hasReady()) { const rd = node.ready(); …persist, send, apply…; node.advance(); }`
 * following the contract documented on `Ready` (types.ts).
 */
export class RaftNode {
  readonly raft: Raft;
  private prevSoftState: SoftState;
  private prevHardState: HardState;
  private pending: Ready | null = null;
  private readonly maxCommittedSizePerReady: number;

  constructor(config: RaftConfig, storage: MemoryStorage, prng: Prng) {
    this.raft = new Raft(config, storage, prng);
    this.prevSoftState = this.softState();
    this.prevHardState = this.hardState();
    this.maxCommittedSizePerReady = config.maxCommittedSizePerReady ?? Infinity;
  }

  get id(): NodeId {
    return this.raft.id;
  }

  /** Receive log lines (role changes, votes, rejections…); null to silence. For tests and traces. */
  setLogger(logger: RaftLogger | null): void {
    this.raft.logger = logger;
  }

  /** Advance the logical clock by one tick (election / heartbeat timers). */
  tick(): void {
    tick(this.raft);
  }

  /** Deliver a message from a peer. Local-only message types are refused. */
  step(message: Message): RaftResult {
    if (isLocalMessage(message.type)) return "localMessage";
    if (isResponseMessage(message.type) && this.raft.tracker.get(message.from) === undefined) {
      return "peerNotFound";
    }
    return stepRaft(this.raft, message);
  }

  /** Start an election now (as if the election timeout fired). */
  campaign(): RaftResult {
    return stepRaft(this.raft, newMessage("MsgHup", this.id, this.id, 0));
  }

  /** Propose one opaque command. "ok" means appended (leader) or forwarded, not committed. */
  propose(data: string): RaftResult {
    const m = newMessage("MsgProp", this.id, NONE, 0);
    m.entries = [{ term: 0, index: 0, type: "normal", data }];
    return stepRaft(this.raft, m);
  }

  /** Propose several commands in one message (one MsgApp batch on the leader). */
  proposeBatch(datas: readonly string[]): RaftResult {
    if (datas.length === 0) return "ok";
    const m = newMessage("MsgProp", this.id, NONE, 0);
    const entries: Entry[] = new Array(datas.length);
    for (let i = 0; i < datas.length; i++) entries[i] = { term: 0, index: 0, type: "normal", data: datas[i]! };
    m.entries = entries;
    return stepRaft(this.raft, m);
  }

  /** Propose a membership change; it takes effect when the host applies it (applyConfChange). */
  proposeConfChange(cc: ConfChange): RaftResult {
    const m = newMessage("MsgProp", this.id, NONE, 0);
    m.entries = [{ term: 0, index: 0, type: "confChange", data: encodeConfChange(cc) }];
    return stepRaft(this.raft, m);
  }

  /** Apply a committed conf change entry's change; returns the new configuration. */
  applyConfChange(cc: ConfChange): ConfState {
    return this.raft.applyConfChange(cc);
  }

  /**
   * Request a linearizable read; the answer arrives as a ReadState with the same ctx in a later
   * Ready (ctx must be unique among pending requests).
   */
  readIndex(requestCtx: string): void {
    const m = newMessage("MsgReadIndex", this.id, NONE, 0);
    m.context = requestCtx;
    stepRaft(this.raft, m);
  }

  /** Ask the leader to hand over to `to` (may be called on any member). */
  transferLeader(to: NodeId): void {
    stepRaft(this.raft, newMessage("MsgTransferLeader", to, NONE, 0));
  }

  /** The host could not deliver a message to `id`: the leader goes back to probing it. */
  reportUnreachable(id: NodeId): void {
    stepRaft(this.raft, newMessage("MsgUnreachable", id, this.id, 0));
  }

  /** The host finished (ok) or failed sending a snapshot to `id`. */
  reportSnapshot(id: NodeId, ok: boolean): void {
    const m = newMessage("MsgSnapStatus", id, this.id, 0);
    m.reject = !ok;
    stepRaft(this.raft, m);
  }

  softState(): SoftState {
    return { lead: this.raft.lead, role: this.raft.role };
  }

  hardState(): HardState {
    return { term: this.raft.term, vote: this.raft.vote, commit: this.raft.log.committed };
  }

  /** Something to persist, send or apply. False while a Ready awaits advance(). */
  hasReady(): boolean {
    if (this.pending !== null) return false;
    const r = this.raft;
    if (r.msgs.length > 0 || r.readStates.length > 0) return true;
    if (r.log.unstable.length > 0 || r.log.unstableSnapshot !== null) return true;
    if (r.log.hasEntriesToApply()) return true;
    if (r.lead !== this.prevSoftState.lead || r.role !== this.prevSoftState.role) return true;
    const hs = this.prevHardState;
    return r.term !== hs.term || r.vote !== hs.vote || r.log.committed !== hs.commit;
  }

  /** Take the pending work. Process it as documented on `Ready`, then call advance(). */
  ready(): Ready {
    assert(this.pending === null, "ready() called again before advance()");
    const r = this.raft;
    const soft = this.softState();
    const softChanged = soft.lead !== this.prevSoftState.lead || soft.role !== this.prevSoftState.role;
    const hard = this.hardState();
    const prev = this.prevHardState;
    const hardChanged = hard.term !== prev.term || hard.vote !== prev.vote || hard.commit !== prev.commit;
    const entries = r.log.unstable.length > 0 ? r.log.unstable.slice() : NO_ENTRIES;
    const snapshot = r.log.unstableSnapshot;
    const rd: Ready = {
      softState: softChanged ? soft : null,
      hardState: hardChanged ? hard : null,
      readStates: r.readStates.length > 0 ? r.readStates : [],
      entries,
      snapshot,
      committedEntries: r.log.nextCommittedEntries(this.maxCommittedSizePerReady),
      messages: r.msgs.length > 0 ? r.msgs : NO_MESSAGES,
      mustSync: entries.length > 0 || snapshot !== null || hard.term !== prev.term || hard.vote !== prev.vote,
    };
    if (r.readStates.length > 0) r.readStates = [];
    if (r.msgs.length > 0) r.msgs = [];
    if (softChanged) this.prevSoftState = soft;
    if (hardChanged) this.prevHardState = hard;
    this.pending = rd;
    return rd;
  }

  /** The last Ready was processed: its entries and snapshot are durable, committed entries applied. */
  advance(): void {
    const rd = this.pending;
    assert(rd !== null, "advance() without a pending ready()");
    this.pending = null;
    const log = this.raft.log;
    if (rd.snapshot !== null) {
      log.stableSnapTo(rd.snapshot.metadata.index);
      log.appliedTo(rd.snapshot.metadata.index);
    }
    if (rd.entries.length > 0) {
      const last = rd.entries[rd.entries.length - 1]!;
      log.stableTo(last.index, last.term);
    }
    if (rd.committedEntries.length > 0) log.appliedTo(rd.committedEntries[rd.committedEntries.length - 1]!.index);
    // The leader counts its own log toward the quorum only once it is durable.
    this.raft.selfAck(log.stableLastIndex());
  }

  /** A Ready was taken and not yet acknowledged with advance(). */
  hasPendingReady(): boolean {
    return this.pending !== null;
  }

  status(): RaftStatus {
    const r = this.raft;
    return {
      id: r.id,
      hardState: this.hardState(),
      softState: this.softState(),
      applied: r.log.applied,
      lastIndex: r.log.lastIndex(),
      firstIndex: r.log.firstIndex(),
      confState: r.tracker.confState(),
      leadTransferee: r.leadTransferee,
      progress:
        r.role !== "leader"
          ? []
          : r.tracker.progress.map((pr) => ({
              id: pr.id,
              match: pr.match,
              next: pr.next,
              state: pr.state,
              isLearner: pr.isLearner,
              inflight: pr.inflights.count,
              recentActive: pr.recentActive,
              pendingSnapshot: pr.pendingSnapshot,
            })),
    };
  }
}
