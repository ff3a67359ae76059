/**
 * One Raft member as a process on the engine: it ticks on its (possibly drifting) clock, steps
 * messages from the network, and runs the persistence contract for each Ready — write snapshot,
 * entries and hard state to the simulated disk, and only after the fsync completes append them to
 * its storage, send the messages, apply committed entries and advance. A crash loses the process
 * and every unsynced write; a restart rebuilds from the durable image alone.
 */
import { assert } from "../../model/assert.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import { RaftNode } from "../../raft/raft-node.ts";
import type { MemoryStorage } from "../../raft/storage.ts";
import type { Entry, HardState, Message, NodeId, RaftConfig, RaftRole, Ready, Snapshot } from "../../raft/types.ts";
import type { Actor, Engine } from "../engine.ts";
import { SimDisk, type DiskParams } from "./disk.ts";
import { DurableImage, type DurableBatch } from "./durable-image.ts";
import { drawElectionTimeoutMs, hearsFromLeader, type HostElectionTimeout } from "./host-election-timeout.ts";
import type { StateMachine } from "./state-machine.ts";
import { TickClock } from "./tick-clock.ts";

/** Everything a member reports; the group fans these out to checkers and the host. */
export interface MemberEvents {
  /** A Ready was taken from the node, before anything in it is persisted or sent. */
  onReady(member: RaftMember, rd: Ready, nowMs: Ms): void;
  /** A batch became durable on this member's disk. */
  onSynced(member: RaftMember, batch: DurableBatch, nowMs: Ms): void;
  onApplied(member: RaftMember, entry: Entry, result: string, nowMs: Ms): void;
  onRoleChange(member: RaftMember, nowMs: Ms): void;
  send(message: Message): void;
  /** End of any event this member handled. */
  afterEvent(nowMs: Ms): void;
}

export interface MemberParams {
  tickMs: Ms;
  disk: DiskParams;
  /** Take a snapshot every this many applied entries (0 = never). */
  snapshotEveryEntries: number;
  /** Entries kept in memory behind a snapshot for slow followers (etcd: SnapshotCatchUpEntries). */
  snapshotCatchUpEntries: number;
  /**
   * When set, the host runs the election timer (uniform in [minMs, maxMs], see
   * host-election-timeout.ts) instead of Raft's [et, 2·et) ticks, for the paper's timeout ranges;
   * Raft's own timer is then disabled.
   */
  hostElectionTimeoutMs: HostElectionTimeout | null;
}

const TAG_TICK = 1;
const TAG_ELECTION = 2;
const TAG_UNREACHABLE = 3;
const TAG_SNAPSHOT_FAILED = 4;

/** Raft's own timer is pushed out of reach when the host runs the election timer. */
const ELECTION_TICKS_DISABLED = 1_000_000_000;

export class RaftMember implements Actor {
  readonly id: NodeId;
  readonly image: DurableImage;
  readonly disk: SimDisk<DurableBatch>;
  readonly clock: TickClock;
  up = false;
  node: RaftNode | null = null;
  storage: MemoryStorage | null = null;
  role: RaftRole = "follower";
  lead: NodeId = 0;
  term = 0;
  commit = 0;
  appliedIndex = 0;
  incarnation = 0;
  /** Ticks fired over all lives (clock-drift tests and traces). */
  ticks = 0;
  private readonly engine: Engine;
  private readonly prng: Prng;
  /** Host election timeout draws only, so they shift no other stream. */
  private readonly electionPrng: Prng;
  private readonly config: RaftConfig;
  private readonly params: MemberParams;
  private readonly events: MemberEvents;
  private readonly sm: StateMachine;
  /** Bumped at every crash and restart so that timers of an earlier life are ignored. */
  private generation = 0;
  private awaitingSync: Ready | null = null;
  private hostElectionDeadlineMs = 0;

  constructor(engine: Engine, prng: Prng, config: RaftConfig, params: MemberParams, bootstrap: Snapshot, sm: StateMachine, events: MemberEvents) {
    this.id = config.id;
    this.engine = engine;
    this.prng = prng;
    this.electionPrng = prng.fork("election-timeout");
    this.params = params;
    this.events = events;
    this.sm = sm;
    this.config = params.hostElectionTimeoutMs === null ? config : { ...config, electionTicks: ELECTION_TICKS_DISABLED };
    this.image = new DurableImage(bootstrap);
    this.disk = new SimDisk(engine, prng.fork("disk"), params.disk, { onSynced: (batch, nowMs) => this.synced(batch, nowMs) });
    this.clock = new TickClock(params.tickMs);
  }

  /** When the host-run election timer fires next (hostElectionTimeoutMs mode; tests and traces). */
  get electionDeadlineMs(): Ms {
    return this.hostElectionDeadlineMs;
  }

  /** Boots (first start or restart) from the durable image; the first tick has a random phase. */
  start(nowMs: Ms): void {
    assert(!this.up, `member ${this.id} started twice`);
    this.up = true;
    this.incarnation++;
    this.generation++;
    this.storage = this.image.restore();
    const snapshot = this.image.snapshot;
    this.sm.restore(snapshot.data);
    this.appliedIndex = snapshot.metadata.index;
    const config: RaftConfig = { ...this.config, applied: this.appliedIndex };
    this.node = new RaftNode(config, this.storage, this.prng.fork(`incarnation/${this.incarnation}`));
    this.role = "follower";
    this.lead = 0;
    this.term = this.image.hardState.term;
    this.commit = this.storage.initialState().hardState.commit;
    const phaseMs = this.prng.int(0, this.params.tickMs);
    this.engine.at(this.clock.start(nowMs, phaseMs), this, TAG_TICK, this.generation);
    if (this.params.hostElectionTimeoutMs !== null) this.resetElectionTimer(nowMs);
    this.events.onRoleChange(this, nowMs);
  }

  /** Process kill: volatile state and unsynced writes are gone; in-flight messages still arrive. */
  crash(nowMs: Ms): void {
    if (!this.up) return;
    this.up = false;
    this.generation++;
    this.node = null;
    this.storage = null;
    this.awaitingSync = null;
    this.disk.crash();
    this.role = "follower";
    this.lead = 0;
    this.events.onRoleChange(this, nowMs);
  }

  receive(message: Message, nowMs: Ms): void {
    const node = this.node;
    if (node === null) return;
    if (this.params.hostElectionTimeoutMs === null) {
      node.step(message);
    } else {
      const before = node.hardState();
      if (hearsFromLeader(message.type, message.term, before.term)) this.resetElectionTimer(nowMs);
      node.step(message);
      if (message.type === "MsgVote" && grantedNow(before, node.hardState(), message)) this.resetElectionTimer(nowMs);
    }
    this.pump(nowMs);
    this.events.afterEvent(nowMs);
  }

  /** A local proposal (the api server's write). Followers forward it to their leader. */
  propose(data: string, nowMs: Ms): string {
    const node = this.node;
    if (node === null) return "down";
    const result = node.propose(data);
    this.pump(nowMs);
    this.events.afterEvent(nowMs);
    return result;
  }

  /** Starts an election now (as if the election timeout fired). */
  campaign(nowMs: Ms): string {
    const node = this.node;
    if (node === null) return "down";
    const result = node.campaign();
    if (this.params.hostElectionTimeoutMs !== null) this.resetElectionTimer(nowMs);
    this.pump(nowMs);
    this.events.afterEvent(nowMs);
    return result;
  }

  /** A message to `peer` was lost on a cut link: tell Raft, as etcd's transport does. */
  reportUnreachable(peer: NodeId, snapshotFailed: boolean): void {
    if (this.node === null) return;
    this.engine.at(this.engine.nowMs, this, snapshotFailed ? TAG_SNAPSHOT_FAILED : TAG_UNREACHABLE, peer);
  }

  /** A snapshot sent to `peer` arrived. */
  reportSnapshotDelivered(peer: NodeId): void {
    this.node?.reportSnapshot(peer, true);
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    const node = this.node;
    if (tag === TAG_UNREACHABLE || tag === TAG_SNAPSHOT_FAILED) {
      if (node === null) return;
      if (tag === TAG_SNAPSHOT_FAILED) node.reportSnapshot(data as number, false);
      node.reportUnreachable(data as number);
    } else {
      if (data !== this.generation || node === null) return; // a timer from an earlier life
      if (tag === TAG_TICK) {
        node.tick();
        this.ticks++;
        this.engine.at(this.clock.advance(), this, TAG_TICK, this.generation);
      } else {
        assert(tag === TAG_ELECTION, `member: unknown tag ${tag}`);
        if (nowMs < this.hostElectionDeadlineMs) return; // re-armed since
        if (this.role !== "leader") node.campaign();
        this.resetElectionTimer(nowMs);
      }
    }
    this.pump(nowMs);
    this.events.afterEvent(nowMs);
  }

  /** Takes the next Ready unless a write is still in flight (ready() waits for advance()). */
  private pump(nowMs: Ms): void {
    const node = this.node;
    while (node !== null && this.awaitingSync === null && node.hasReady()) {
      const rd = node.ready();
      this.observeReady(rd, nowMs);
      if (rd.mustSync || rd.snapshot !== null || rd.entries.length > 0) {
        this.awaitingSync = rd;
        this.disk.write({ snapshot: rd.snapshot, entries: rd.entries, hardState: rd.hardState });
        return;
      }
      // Only the commit index (or nothing durable) changed: no fsync needed.
      if (rd.hardState !== null) this.storage?.setHardState(rd.hardState);
      this.finish(rd, nowMs);
    }
  }

  private observeReady(rd: Ready, nowMs: Ms): void {
    if (rd.hardState !== null) {
      this.term = rd.hardState.term;
      this.commit = rd.hardState.commit;
    }
    const roleChanged = rd.softState !== null && (rd.softState.role !== this.role || rd.softState.lead !== this.lead);
    if (rd.softState !== null) {
      this.role = rd.softState.role;
      this.lead = rd.softState.lead;
    }
    this.events.onReady(this, rd, nowMs);
    if (roleChanged) this.events.onRoleChange(this, nowMs);
  }

  private synced(batch: DurableBatch, nowMs: Ms): void {
    this.image.apply(batch);
    this.events.onSynced(this, batch, nowMs);
    const rd = this.awaitingSync;
    const storage = this.storage;
    if (rd === null || storage === null) return;
    this.awaitingSync = null;
    if (rd.snapshot !== null) {
      storage.applySnapshot(rd.snapshot);
      this.sm.restore(rd.snapshot.data);
      this.appliedIndex = Math.max(this.appliedIndex, rd.snapshot.metadata.index);
    }
    storage.append(rd.entries);
    if (rd.hardState !== null) storage.setHardState(rd.hardState);
    this.finish(rd, nowMs);
    this.pump(nowMs);
    this.events.afterEvent(nowMs);
  }

  /** Steps 4-6 of the contract: send, apply, advance; then maybe snapshot and compact. */
  private finish(rd: Ready, nowMs: Ms): void {
    const node = this.node as RaftNode;
    for (const message of rd.messages) this.events.send(message);
    for (const entry of rd.committedEntries) this.applyEntry(entry, nowMs);
    node.advance();
    this.maybeSnapshot();
  }

  private applyEntry(entry: Entry, nowMs: Ms): void {
    if (entry.index <= this.appliedIndex) return; // covered by a snapshot already restored
    assert(entry.index === this.appliedIndex + 1, `member ${this.id} applies ${entry.index} after ${this.appliedIndex}`);
    this.appliedIndex = entry.index;
    if (entry.data === "") {
      this.events.onApplied(this, entry, "", nowMs);
      return;
    }
    assert(entry.type === "normal", `member ${this.id}: conf changes are not driven by the simulator yet`);
    this.events.onApplied(this, entry, this.sm.apply(entry), nowMs);
  }

  private maybeSnapshot(): void {
    const every = this.params.snapshotEveryEntries;
    const storage = this.storage as MemoryStorage;
    const node = this.node as RaftNode;
    if (every <= 0 || this.appliedIndex - storage.snapshot().metadata.index < every) return;
    const snapshot = storage.createSnapshot(this.appliedIndex, node.status().confState, this.sm.snapshot());
    const compactIndex = this.appliedIndex - this.params.snapshotCatchUpEntries;
    if (compactIndex > storage.firstIndex()) storage.compact(compactIndex);
    this.image.compact(snapshot, Math.max(0, Math.min(compactIndex, snapshot.metadata.index)));
  }

  private resetElectionTimer(nowMs: Ms): void {
    const timeout = this.params.hostElectionTimeoutMs;
    if (timeout === null) return;
    this.hostElectionDeadlineMs = nowMs + drawElectionTimeoutMs(this.electionPrng, timeout);
    this.engine.at(this.hostElectionDeadlineMs, this, TAG_ELECTION, this.generation);
  }
}

/** Stepping `request` made this member vote for its sender (a grant, not a retry of one). */
function grantedNow(before: HardState, after: HardState, request: Message): boolean {
  const votedBefore = before.term === request.term && before.vote === request.from;
  return !votedBefore && after.term === request.term && after.vote === request.from;
}
