/**
 * A Raft group on the engine: N members (ids 1..N), the network between them, their disks, the
 * safety checkers, and the fault hooks (crash, restart, slow disk, clock drift, partitions via
 * `network`). The host (RaftStore, the VOPR) listens through `GroupListener` for role changes and
 * applied entries.
 */
import { assert } from "../../model/assert.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import { MemoryStorage } from "../../raft/storage.ts";
import type { Entry, Message, NodeId, RaftConfig, Ready, Snapshot } from "../../raft/types.ts";
import type { Engine } from "../engine.ts";
import { SafetyCheckers } from "./checkers.ts";
import { ssdDiskParams, type DiskParams } from "./disk.ts";
import type { DurableBatch } from "./durable-image.ts";
import type { HostElectionTimeout } from "./host-election-timeout.ts";
import { lanLinkParams, SimNetwork, type DropReason, type LinkParams } from "./network.ts";
import { RaftMember, type MemberEvents } from "./raft-member.ts";
import type { StateMachine } from "./state-machine.ts";

export interface RaftGroupParams {
  memberCount: number;
  /** Wall time of one Raft tick (etcd: --heartbeat-interval, 100 ms). */
  tickMs: Ms;
  /** etcd: --election-timeout / --heartbeat-interval = 1000 / 100 = 10 ticks. */
  electionTicks: number;
  heartbeatTicks: number;
  preVote: boolean;
  checkQuorum: boolean;
  maxInflightMsgs: number;
  maxSizePerMsg: number;
  snapshotEveryEntries: number;
  snapshotCatchUpEntries: number;
  link: LinkParams;
  disk: DiskParams;
  /** Checkers on every Ready and apply (tests and the VOPR); benchmarks may turn them off. */
  checkers: boolean;
  /** See MemberParams.hostElectionTimeoutMs (paper benchmark only). */
  hostElectionTimeoutMs: HostElectionTimeout | null;
}

/**
 * etcd's defaults: heartbeat 100 ms, election 1000 ms, PreVote on (etcd ≥ 3.4 with
 * --pre-vote=true, the default since 3.5), CheckQuorum on, 512 in-flight MsgApp, 1 MiB per
 * MsgApp, snapshot every 10,000 entries keeping 5,000 for catch-up (etcd 3.6).
 */
export function etcdGroupParams(memberCount: number): RaftGroupParams {
  return {
    memberCount,
    tickMs: 100,
    electionTicks: 10,
    heartbeatTicks: 1,
    preVote: true,
    checkQuorum: true,
    maxInflightMsgs: 512,
    maxSizePerMsg: 1024 * 1024,
    snapshotEveryEntries: 10_000,
    snapshotCatchUpEntries: 5_000,
    link: lanLinkParams(),
    disk: ssdDiskParams(),
    checkers: true,
    hostElectionTimeoutMs: null,
  };
}

/** What the host hears. All optional. */
export interface GroupListener {
  onRoleChange?(member: RaftMember, nowMs: Ms): void;
  onApplied?(member: RaftMember, entry: Entry, result: string, nowMs: Ms): void;
  afterEvent?(nowMs: Ms): void;
  /** A message reached a live member (before it is stepped); benchmarks time arrivals with it. */
  onDeliver?(to: NodeId, message: Message, nowMs: Ms): void;
}

export class RaftGroup implements MemberEvents {
  readonly params: RaftGroupParams;
  readonly engine: Engine;
  readonly network: SimNetwork<Message>;
  readonly members: RaftMember[] = [];
  readonly checkers: SafetyCheckers | null;
  listener: GroupListener = {};
  /** Bumped by every role change, crash and restart, so observers can skip unchanged checks. */
  stateVersion = 0;

  constructor(engine: Engine, prng: Prng, params: RaftGroupParams, stateMachine: (id: NodeId) => StateMachine) {
    assert(params.memberCount >= 1 && params.memberCount <= 9, `group size ${params.memberCount} out of range`);
    this.params = params;
    this.engine = engine;
    const voters: NodeId[] = [];
    for (let id = 1; id <= params.memberCount; id++) voters.push(id);
    this.network = new SimNetwork<Message>(engine, prng.fork("network"), params.memberCount, params.link, {
      receive: (_from, to, message, nowMs) => this.deliver(to, message, nowMs),
      dropped: (from, to, message, reason) => this.dropped(from, to, message, reason),
    });
    this.network.cloneMessage = cloneMessage;
    const bootstrap: Snapshot = MemoryStorage.bootstrap({ voters, learners: [], votersOutgoing: [] }).snapshot();
    for (const id of voters) {
      const config: RaftConfig = {
        id,
        peers: voters,
        electionTicks: params.electionTicks,
        heartbeatTicks: params.heartbeatTicks,
        preVote: params.preVote,
        checkQuorum: params.checkQuorum,
        maxInflightMsgs: params.maxInflightMsgs,
        maxSizePerMsg: params.maxSizePerMsg,
        readOnlyOption: "safe",
      };
      const memberParams = {
        tickMs: params.tickMs,
        disk: params.disk,
        snapshotEveryEntries: params.snapshotEveryEntries,
        snapshotCatchUpEntries: params.snapshotCatchUpEntries,
        hostElectionTimeoutMs: params.hostElectionTimeoutMs,
      };
      this.members.push(new RaftMember(engine, prng.fork(`member/${id}`), config, memberParams, bootstrap, stateMachine(id), this));
    }
    this.checkers = params.checkers ? new SafetyCheckers(this.members) : null;
  }

  member(id: NodeId): RaftMember {
    const member = this.members[id - 1];
    assert(member !== undefined, `no member ${id}`);
    return member;
  }

  start(): void {
    for (const member of this.members) member.start(this.engine.nowMs);
  }

  /** The leader with the highest term among live members (a deposed leader may linger), or 0. */
  leaderId(): NodeId {
    let best: RaftMember | null = null;
    for (const member of this.members) {
      if (member.up && member.role === "leader" && (best === null || member.term > best.term)) best = member;
    }
    return best === null ? 0 : best.id;
  }

  crash(id: NodeId): void {
    const member = this.member(id);
    member.crash(this.engine.nowMs);
    this.checkers?.onCrash(member);
  }

  restart(id: NodeId): void {
    const member = this.member(id);
    if (!member.up) member.start(this.engine.nowMs);
  }

  slowDisk(id: NodeId, factor: number, durationMs: Ms): void {
    this.member(id).disk.slow(factor, this.engine.nowMs + durationMs);
  }

  driftClock(id: NodeId, factor: number): void {
    this.member(id).clock.setDrift(factor);
  }

  /** True when every live member has applied everything the leader committed. */
  converged(): boolean {
    const leader = this.leaderId();
    if (leader === 0) return false;
    const commit = this.member(leader).commit;
    return this.members.every((m) => !m.up || m.appliedIndex >= commit);
  }

  // MemberEvents

  onReady(member: RaftMember, rd: Ready, nowMs: Ms): void {
    this.checkers?.onReady(member, rd, nowMs);
  }

  onSynced(_member: RaftMember, _batch: DurableBatch, _nowMs: Ms): void {}

  onApplied(member: RaftMember, entry: Entry, result: string, nowMs: Ms): void {
    this.checkers?.onApplied(member, entry, nowMs);
    this.listener.onApplied?.(member, entry, result, nowMs);
  }

  onRoleChange(member: RaftMember, nowMs: Ms): void {
    this.stateVersion++;
    this.listener.onRoleChange?.(member, nowMs);
  }

  send(message: Message): void {
    const from = message.from;
    const to = message.to;
    if (to === from) {
      this.member(to).receive(message, this.engine.nowMs);
      return;
    }
    this.network.send(from, to, message);
  }

  afterEvent(nowMs: Ms): void {
    this.listener.afterEvent?.(nowMs);
  }

  /** As etcd's transport: a cut link reports the peer unreachable; a lost snapshot always fails. */
  private dropped(from: NodeId, to: NodeId, message: Message, reason: DropReason): void {
    const isSnapshot = message.type === "MsgSnap";
    if (reason === "partition" || isSnapshot) this.member(from).reportUnreachable(to, isSnapshot);
  }

  private deliver(to: NodeId, message: Message, nowMs: Ms): void {
    const member = this.member(to);
    if (!member.up) {
      // Connection refused: the sender's transport notices, as on a cut link.
      this.dropped(message.from, to, message, "partition");
      return;
    }
    this.listener.onDeliver?.(to, message, nowMs);
    member.receive(message, nowMs);
    if (message.type === "MsgSnap") this.member(message.from).reportSnapshotDelivered(to);
  }
}

/** A deep-enough copy of a message: Raft may stamp received entries (index, term) in place. */
function cloneMessage(message: Message): Message {
  return { ...message, entries: message.entries.map((e) => ({ ...e })) };
}
