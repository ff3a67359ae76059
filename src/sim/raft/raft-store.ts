/**
 * The control-plane store backed by a real Raft group: the api server's etcd client. A write is
 * sent to the client's current endpoint; a follower forwards it to its leader (Raft's MsgProp);
 * `onCommitted` fires once the entry is committed AND applied on that endpoint (where the api
 * server's reads and watches come from). Client behaviour, chosen to match etcd + clientv3:
 * - an attempt that gets "no leader" (proposal dropped) is retried on the same endpoint after
 *   `retryBackoffMs` (clientv3's retry backoff is 25 ms with jitter; we use 50 ms);
 * - an endpoint that is down fails fast (connection refused) and the client moves to the next one;
 *   a crash of the current endpoint is noticed at once (the connection resets) even without writes;
 * - an attempt without an answer after `attemptTimeoutMs` (1 s) is retried on the next endpoint
 *   (the lost proposal may still commit: the first commit of a write id counts, duplicates are
 *   ignored, as kube's resourceVersion preconditions make a replayed write a no-op);
 * - after `writeTimeoutMs` (7 s = etcd's request timeout, 5 s + 2 × election timeout) the write
 *   fails with "timeout"; it may still commit later, unseen (an unknown outcome, as in etcd).
 */
import { assert } from "../../model/assert.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import { majority } from "../../raft/quorum.ts";
import type { Entry, NodeId } from "../../raft/types.ts";
import type { Actor, Engine } from "../engine.ts";
import type { CommitListener, ControlPlaneStore } from "./control-plane-store.ts";
import { etcdGroupParams, RaftGroup, type RaftGroupParams } from "./raft-group.ts";
import type { RaftMember } from "./raft-member.ts";
import { NullStateMachine } from "./state-machine.ts";
import type { StoreObservations, UnavailabilityReason } from "./store-observations.ts";

export interface RaftStoreParams {
  group: RaftGroupParams;
  /** Endpoints the client may use, in failover order; the first is the one it starts on. */
  endpoints: NodeId[];
  /** One-way latency between the api server and an etcd member. */
  clientLatencyMs: Ms;
  attemptTimeoutMs: Ms;
  retryBackoffMs: Ms;
  writeTimeoutMs: Ms;
}

/** A 3- (or N-) member etcd with default settings; the api server starts on member 1. */
export function etcdStoreParams(memberCount = 3): RaftStoreParams {
  const group = etcdGroupParams(memberCount);
  const endpoints: NodeId[] = [];
  for (let id = 1; id <= memberCount; id++) endpoints.push(id);
  return {
    group,
    endpoints,
    clientLatencyMs: 0,
    attemptTimeoutMs: 1000,
    retryBackoffMs: 50,
    writeTimeoutMs: 5000 + 2 * group.electionTicks * group.tickMs,
  };
}

interface PendingWrite {
  writeId: number;
  sizeBytes: number;
  proposedAtMs: Ms;
  attempts: number;
  /** Log index of the first committed copy; 0 until then. */
  logIndex: number;
  done: boolean;
}

interface Attempt {
  write: PendingWrite;
  attempt: number;
  endpoint: NodeId;
}

const TAG_ARRIVE = 1;
const TAG_ATTEMPT_TIMEOUT = 2;
const TAG_RETRY = 3;
const TAG_DEADLINE = 4;
const TAG_RESPOND = 5;

export class RaftStore implements ControlPlaneStore, Actor {
  readonly group: RaftGroup;
  readonly params: RaftStoreParams;
  readonly observations: StoreObservations = { leaderChanges: [], writeLatencies: [], writeFailures: [], unavailability: [], faults: [] };
  private readonly engine: Engine;
  private readonly listener: CommitListener;
  private readonly pending = new Map<number, PendingWrite>();
  /** Committed writes not yet applied on the current endpoint, in log order. */
  private awaitingEndpoint: PendingWrite[] = [];
  private endpointIndex = 0;
  private lastLeader = -1;
  private lastTerm = 0;
  private unavailableReason: UnavailabilityReason | null = null;
  private seenStateVersion = -1;
  private seenTopologyVersion = -1;
  private seenEndpointIndex = -1;
  private awaitingHead = 0;

  constructor(engine: Engine, prng: Prng, params: RaftStoreParams, listener: CommitListener) {
    assert(params.endpoints.length > 0, "raft store needs at least one endpoint");
    this.engine = engine;
    this.params = params;
    this.listener = listener;
    this.group = new RaftGroup(engine, prng.fork("raft-store"), params.group, () => new NullStateMachine());
    this.group.listener = {
      onApplied: (member, entry, _result, nowMs) => this.applied(member, entry, nowMs),
      afterEvent: (nowMs) => this.observe(nowMs),
    };
  }

  /** Boots every member (call once, at the time the control plane comes up). */
  start(): void {
    this.group.start();
    this.observe(this.engine.nowMs);
  }

  /** The member the api server currently talks to. */
  get endpoint(): NodeId {
    return this.params.endpoints[this.endpointIndex] as NodeId;
  }

  propose(writeId: number, sizeBytes: number): void {
    assert(!this.pending.has(writeId), `write ${writeId} proposed twice`);
    const write: PendingWrite = { writeId, sizeBytes, proposedAtMs: this.engine.nowMs, attempts: 0, logIndex: 0, done: false };
    this.pending.set(writeId, write);
    this.engine.after(this.params.writeTimeoutMs, this, TAG_DEADLINE, write);
    this.sendAttempt(write);
  }

  available(): boolean {
    return this.unavailability() === null;
  }

  // Fault hooks: act now, at the engine's current time.

  isolateMember(id: NodeId): void {
    this.fault(`isolate member ${id}`);
    this.group.network.isolate(id);
  }

  partition(groups: NodeId[][]): void {
    this.fault(`partition ${groups.map((g) => `{${g.join(",")}}`).join(" ")}`);
    this.group.network.partition(groups);
  }

  heal(): void {
    this.fault("heal network");
    this.group.network.heal();
  }

  crashMember(id: NodeId): void {
    this.fault(`crash member ${id}`);
    this.group.crash(id);
  }

  restartMember(id: NodeId): void {
    this.fault(`restart member ${id}`);
    this.group.restart(id);
  }

  slowDisk(id: NodeId, factor: number, durationMs: Ms): void {
    this.fault(`slow disk on member ${id}: ×${factor} for ${durationMs} ms`);
    this.group.slowDisk(id, factor, durationMs);
  }

  driftClock(id: NodeId, factor: number): void {
    this.fault(`clock drift on member ${id}: ×${factor}`);
    this.group.driftClock(id, factor);
  }

  /** Isolates the current leader; returns its id (0 when there is none, then nothing happens). */
  isolateLeader(): NodeId {
    const leader = this.group.leaderId();
    if (leader !== 0) this.isolateMember(leader);
    return leader;
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    if (tag === TAG_DEADLINE) return this.deadline(data as PendingWrite, nowMs);
    if (tag === TAG_RESPOND) return this.listener.onCommitted((data as PendingWrite).writeId, nowMs);
    const attempt = data as Attempt;
    if (attempt.write.done || attempt.attempt !== attempt.write.attempts) return; // stale
    if (tag === TAG_ARRIVE) this.arrive(attempt, nowMs);
    else if (tag === TAG_ATTEMPT_TIMEOUT) this.switchEndpointAndRetry(attempt.write, attempt.endpoint);
    else if (tag === TAG_RETRY) this.sendAttempt(attempt.write);
    else assert(false, `raft store: unknown tag ${tag}`);
  }

  private sendAttempt(write: PendingWrite): void {
    write.attempts++;
    const attempt: Attempt = { write, attempt: write.attempts, endpoint: this.endpoint };
    this.engine.after(this.params.clientLatencyMs, this, TAG_ARRIVE, attempt);
    this.engine.after(this.params.attemptTimeoutMs, this, TAG_ATTEMPT_TIMEOUT, attempt);
  }

  private arrive(attempt: Attempt, nowMs: Ms): void {
    const member = this.group.member(attempt.endpoint);
    if (!member.up) {
      this.switchEndpointAndRetry(attempt.write, attempt.endpoint);
      return;
    }
    const result = member.propose(`w${attempt.write.writeId}`, nowMs);
    if (result === "ok" || attempt.write.done) return;
    // No leader known (or leadership in transfer): etcd answers at once; back off and retry.
    this.engine.after(this.params.retryBackoffMs, this, TAG_RETRY, attempt);
  }

  private switchEndpointAndRetry(write: PendingWrite, failedEndpoint: NodeId): void {
    if (this.endpoint === failedEndpoint && this.params.endpoints.length > 1) {
      this.endpointIndex = (this.endpointIndex + 1) % this.params.endpoints.length;
      this.drainAwaiting(this.group.member(this.endpoint).appliedIndex, this.engine.nowMs);
    }
    if (!write.done) this.engine.after(this.params.retryBackoffMs, this, TAG_RETRY, { write, attempt: write.attempts, endpoint: this.endpoint });
  }

  private deadline(write: PendingWrite, nowMs: Ms): void {
    if (write.done) return;
    write.done = true;
    this.pending.delete(write.writeId);
    this.observations.writeFailures.push({ writeId: write.writeId, atMs: nowMs, reason: "timeout" });
    this.listener.onWriteFailed(write.writeId, "timeout", nowMs);
  }

  private applied(member: RaftMember, entry: Entry, nowMs: Ms): void {
    const data = entry.data;
    if (data.charCodeAt(0) === 119 /* "w" */) {
      const write = this.pending.get(Number(data.slice(1)));
      if (write !== undefined && write.logIndex === 0) {
        write.logIndex = entry.index;
        this.awaitingEndpoint.push(write);
      }
    }
    if (member.id === this.endpoint) this.drainAwaiting(entry.index, nowMs);
  }

  /** Completes the committed writes the endpoint has now applied. */
  private drainAwaiting(appliedIndex: number, nowMs: Ms): void {
    const queue = this.awaitingEndpoint;
    let k = this.awaitingHead;
    while (k < queue.length && (queue[k] as PendingWrite).logIndex <= appliedIndex) {
      const write = queue[k++] as PendingWrite;
      if (write.done) continue;
      write.done = true;
      this.pending.delete(write.writeId);
      this.observations.writeLatencies.push({ writeId: write.writeId, proposedAtMs: write.proposedAtMs, latencyMs: nowMs + this.params.clientLatencyMs - write.proposedAtMs, attempts: write.attempts });
      this.engine.after(this.params.clientLatencyMs, this, TAG_RESPOND, write);
    }
    this.awaitingHead = k;
    if (k > 1024 && k * 2 > queue.length) {
      this.awaitingEndpoint = queue.slice(k);
      this.awaitingHead = 0;
    }
  }

  /** Records leader changes and opens/closes unavailability windows. */
  private observe(nowMs: Ms): void {
    const group = this.group;
    if (group.stateVersion === this.seenStateVersion && group.network.topologyVersion === this.seenTopologyVersion && this.endpointIndex === this.seenEndpointIndex) return;
    this.seenStateVersion = group.stateVersion;
    this.seenTopologyVersion = group.network.topologyVersion;
    this.seenEndpointIndex = this.endpointIndex;
    this.leaveDeadEndpoint(nowMs);
    const leader = this.group.leaderId();
    const term = leader === 0 ? this.lastTerm : this.group.member(leader).term;
    if (leader !== this.lastLeader || term !== this.lastTerm) {
      this.lastLeader = leader;
      this.lastTerm = term;
      this.observations.leaderChanges.push({ atMs: nowMs, term, leader });
    }
    const reason = this.unavailability();
    if (reason === this.unavailableReason) return;
    const windows = this.observations.unavailability;
    const open = windows[windows.length - 1];
    if (this.unavailableReason !== null && open !== undefined && open.endMs === null) open.endMs = nowMs;
    if (reason !== null) windows.push({ startMs: nowMs, endMs: null, reason });
    this.unavailableReason = reason;
  }

  /** The connection to a crashed endpoint resets: move to the next live one, if any. */
  private leaveDeadEndpoint(nowMs: Ms): void {
    const endpoints = this.params.endpoints;
    if (this.group.member(this.endpoint).up) return;
    for (let k = 1; k < endpoints.length; k++) {
      const index = (this.endpointIndex + k) % endpoints.length;
      if (!this.group.member(endpoints[index] as NodeId).up) continue;
      this.endpointIndex = index;
      this.seenEndpointIndex = index;
      this.drainAwaiting(this.group.member(this.endpoint).appliedIndex, nowMs);
      return;
    }
  }

  /** Why reads and watches cannot be served now, or null when they can. */
  private unavailability(): UnavailabilityReason | null {
    const endpoint = this.group.member(this.endpoint);
    if (!endpoint.up) return "endpointDown";
    const leader = this.group.leaderId();
    if (leader === 0) return "noLeader";
    const network = this.group.network;
    let reachable = 0;
    for (const member of this.group.members) {
      if (member.up && network.connected(leader, member.id) && network.connected(member.id, leader)) reachable++;
    }
    if (reachable < majority(this.group.members.length)) return "noQuorum";
    if (!network.connected(leader, endpoint.id) || !network.connected(endpoint.id, leader)) return "endpointCut";
    return null;
  }

  private fault(description: string): void {
    this.observations.faults.push({ atMs: this.engine.nowMs, fault: description });
    this.engine.at(this.engine.nowMs, this.observer, 0);
  }

  /** Re-evaluates availability right after a fault, through the engine. */
  private readonly observer: Actor = { onEvent: (_tag, _data, nowMs) => this.observe(nowMs) };
}
