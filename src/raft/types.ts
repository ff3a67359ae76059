/**
 * Raft vocabulary: messages, entries, persistent and volatile state, the Ready batch, config.
 * Shapes follow etcd-raft (raftpb) so its tests and docs translate directly. Everything here is
 * plain data: no classes, no functions, safe to copy, log and compare.
 */

/** A member id: a positive integer. 0 means "none" (no leader, no vote). */
export type NodeId = number;
export const NONE: NodeId = 0;

export type EntryType = "normal" | "confChange";

/**
 * One log entry. `data` is opaque to Raft; the host's state machine interprets it. For
 * `confChange` entries it is `encodeConfChange(cc)` (see confchange-codec.ts); an empty `data`
 * with type "normal" is the no-op a new leader appends.
 */
export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: string;
}

/** What must survive a crash besides the log: current term, vote in it, commit index. */
export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

export type RaftRole = "follower" | "preCandidate" | "candidate" | "leader";

/** Volatile state, reported only when it changes; useful for logging, never persisted. */
export interface SoftState {
  lead: NodeId;
  role: RaftRole;
}

/**
 * Membership: voters decide, learners only replicate. `votersOutgoing` is non-empty only in a
 * joint configuration (reserved; this implementation changes one voter at a time, so it is empty).
 */
export interface ConfState {
  voters: NodeId[];
  learners: NodeId[];
  votersOutgoing: NodeId[];
}

export interface SnapshotMetadata {
  index: number;
  term: number;
  confState: ConfState;
}

/** A state machine image up to `metadata.index` (inclusive); `data` is the host's, opaque. */
export interface Snapshot {
  metadata: SnapshotMetadata;
  data: string;
}

export type ConfChangeType = "addNode" | "removeNode" | "addLearner";

/**
 * A membership change of one server (the thesis' single-server change). `addNode` also promotes
 * a learner; `addLearner` also demotes a voter. Only one may be pending (proposed but not
 * applied) at a time; a second proposal is turned into an empty entry.
 */
export interface ConfChange {
  type: ConfChangeType;
  nodeId: NodeId;
}

export type MessageType =
  // local only: never sent over the network
  | "MsgHup" // start an election (tick or campaign())
  | "MsgBeat" // leader: send heartbeats
  | "MsgCheckQuorum" // leader: step down unless a quorum was recently active
  | "MsgUnreachable" // host: peer unreachable
  | "MsgSnapStatus" // host: snapshot delivery finished (reject = failed)
  // local or forwarded
  | "MsgProp" // proposal; followers forward to the leader
  | "MsgTransferLeader" // ask the leader to hand over to `from`
  | "MsgReadIndex" // linearizable read request, `context` identifies it
  // network
  | "MsgApp"
  | "MsgAppResp"
  | "MsgVote"
  | "MsgVoteResp"
  | "MsgPreVote"
  | "MsgPreVoteResp"
  | "MsgSnap"
  | "MsgHeartbeat"
  | "MsgHeartbeatResp"
  | "MsgTimeoutNow"
  | "MsgReadIndexResp";

/**
 * One message. A single flat shape for every type (as etcd's raftpb.Message) so that the hot path
 * stays monomorphic; fields a type does not use hold their zero value ( 0, false, "", [], null ).
 * - MsgApp: `index`/`logTerm` = the entry preceding `entries`; `commit` = leader's commit.
 * - MsgAppResp: `index` = last index matched (or rejected probe index when `reject`);
 *   `rejectHint` / `logTerm` = the follower's hint for fast backtracking.
 * - MsgVote/MsgPreVote: `index`/`logTerm` = candidate's last entry; `context` = "transfer" when
 *   the election is a leadership transfer (overrides the leader lease).
 * - MsgHeartbeat: `commit` = min(leader commit, follower match); `context` = read-index round.
 * - MsgReadIndex / MsgReadIndexResp: `context` = request id; resp `index` = read index.
 * - MsgSnap: `snapshot`.
 */
export interface Message {
  type: MessageType;
  from: NodeId;
  to: NodeId;
  term: number;
  logTerm: number;
  index: number;
  entries: Entry[];
  commit: number;
  reject: boolean;
  rejectHint: number;
  snapshot: Snapshot | null;
  context: string;
}

/** The answer to a read-index request: reads at `index` are linearizable once applied ≥ index. */
export interface ReadState {
  index: number;
  requestCtx: string;
}

/**
 * Everything Raft asks the host to do, in this order (the persistence contract):
 * 1. If `snapshot` is set: persist it and restore the state machine from it
 *    (`storage.applySnapshot(snapshot)`).
 * 2. Append `entries` to stable storage (`storage.append(entries)`); they may overwrite a suffix.
 * 3. If `hardState` is set: persist it (`storage.setHardState(hardState)`).
 *    Steps 1-3 must be durable (fsync) when `mustSync` is true.
 * 4. Only now send `messages`: votes and acks in them promise that 1-3 are durable, so a message
 *    may never leave before the state it depends on is on disk. After a crash, unsent messages
 *    are simply lost (Raft retries). For each MsgSnap, report whether it arrived with
 *    `node.reportSnapshot(to, ok)`: until that (or the follower's ack) the leader sends it nothing.
 * 5. Apply `committedEntries` to the state machine in order; for a "confChange" entry call
 *    `node.applyConfChange(decodeConfChange(entry.data))` (an empty-data confChange entry is a
 *    no-op). Serve `readStates` once applied index ≥ their index.
 * 6. Call `node.advance()`. Do not call `ready()` again before `advance()`. The host may `step`
 *    and `tick` between `ready()` and `advance()` (e.g. while a simulated disk write is in flight).
 */
export interface Ready {
  /** Non-null only when it changed since the last Ready. */
  softState: SoftState | null;
  /** Non-null only when it changed since the last Ready (persist it). */
  hardState: HardState | null;
  readStates: ReadState[];
  /** Entries to append to stable storage before sending `messages`. */
  entries: Entry[];
  /** Snapshot to persist before anything else, or null. */
  snapshot: Snapshot | null;
  /** Committed entries to apply, in order; all of them are already durable (steps 1-2 before). */
  committedEntries: Entry[];
  /** Outgoing messages; send only after steps 1-3 are durable. */
  messages: Message[];
  /** True when entries, snapshot or term/vote changed: the write must be fsynced. */
  mustSync: boolean;
}

export type ReadOnlyOption = "safe" | "lease";

export interface RaftConfig {
  id: NodeId;
  /** Initial voters, used only when storage holds no configuration (first boot). */
  peers: NodeId[];
  /** Initial learners, used only when storage holds no configuration. */
  learners?: NodeId[];
  /** Election timeout in ticks; the randomized timeout is drawn in [electionTicks, 2*electionTicks). */
  electionTicks: number;
  /** Heartbeat interval in ticks; must be < electionTicks. */
  heartbeatTicks: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** Max MsgApp in flight (unacknowledged) to one follower in replicate state. */
  maxInflightMsgs: number;
  /** Max bytes of entry data per MsgApp (at least one entry is always sent). */
  maxSizePerMsg: number;
  /** "lease" requires checkQuorum and trusts clocks (ticks) not to drift. */
  readOnlyOption: ReadOnlyOption;
  /** Last index the host's state machine has applied (on restart); defaults to the snapshot index. */
  applied?: number;
  /** Cap on bytes of committed entries per Ready (default: unlimited). */
  maxCommittedSizePerReady?: number;
  /** A removed leader steps down at once instead of lingering until the next election. */
  stepDownOnRemoval?: boolean;
}

/** Outcome of a local request (etcd returns errors; here expected negatives are values). */
export type RaftResult =
  | "ok"
  | "proposalDropped" // no leader known, leadership transfer pending, or this node was removed
  | "notLeader"
  | "peerNotFound" // a response from a node that is not a member
  | "staleMessage"
  | "localMessage"; // local-only message types cannot be stepped from outside

export type ProgressStateName = "probe" | "replicate" | "snapshot";

export interface ProgressStatus {
  id: NodeId;
  match: number;
  next: number;
  state: ProgressStateName;
  isLearner: boolean;
  inflight: number;
  recentActive: boolean;
  pendingSnapshot: number;
}

export interface RaftStatus {
  id: NodeId;
  hardState: HardState;
  softState: SoftState;
  applied: number;
  lastIndex: number;
  firstIndex: number;
  confState: ConfState;
  leadTransferee: NodeId;
  /** Leader only: per member progress, ordered by id. Empty otherwise. */
  progress: ProgressStatus[];
}
