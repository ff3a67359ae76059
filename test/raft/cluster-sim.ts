import { Prng } from "../../src/model/prng.ts";
import { decodeConfChange } from "../../src/raft/confchange.ts";
import { checkAll, newInvariantMemory, recordApplied, type InvariantMemory, type MemberView } from "../../src/raft/invariants.ts";
import { RaftNode } from "../../src/raft/raft-node.ts";
import { MemoryStorage } from "../../src/raft/storage.ts";
import type { Message, NodeId, RaftConfig } from "../../src/raft/types.ts";
import { defaultConfig } from "./env.ts";
import { formatMessage } from "./format.ts";

/**
 * A small Raft group on an in-test message bus, driven one action at a time (for property tests).
 * The bus is a bag: any in-flight message may be delivered next (reordering), dropped or
 * duplicated. A crash loses everything not persisted; restart rebuilds from storage. As a real
 * transport must, the bus reports each MsgSnap's fate to its sender (reportSnapshot).
 */

export type Action =
  | { t: "deliver"; pick: number }
  | { t: "drop"; pick: number }
  | { t: "duplicate"; pick: number }
  | { t: "tick"; node: number }
  | { t: "tickAll" }
  | { t: "ready"; node: number }
  | { t: "crash"; node: number; persist: "none" | "entries" | "all" }
  | { t: "restart"; node: number }
  | { t: "partition"; mask: number }
  | { t: "heal" }
  | { t: "propose"; node: number; value: number }
  | { t: "compact"; node: number };

export function describeAction(a: Action): string {
  switch (a.t) {
    case "deliver":
    case "drop":
    case "duplicate":
      return `${a.t}(#${a.pick})`;
    case "tick":
    case "ready":
    case "restart":
    case "compact":
      return `${a.t}(n${a.node})`;
    case "crash":
      return `crash(n${a.node}, persist=${a.persist})`;
    case "partition":
      return `partition(mask=${a.mask.toString(2)})`;
    case "propose":
      return `propose(n${a.node}, v${a.value})`;
    default:
      return a.t;
  }
}

interface Member {
  id: NodeId;
  node: RaftNode;
  storage: MemoryStorage;
  config: RaftConfig;
  prng: Prng;
  up: boolean;
  applied: number;
  stateMachine: string[];
}

export interface ClusterOptions {
  size: number;
  preVote: boolean;
  checkQuorum: boolean;
  seed: number;
}

export class ClusterSim {
  readonly members: Member[] = [];
  bus: Message[] = [];
  /** Side of each member (bit i of the partition mask); messages cross only within a side. */
  side: number[] = [];
  readonly memory: InvariantMemory = newInvariantMemory();
  readonly voters: NodeId[];
  readonly trace: string[] = [];

  constructor(options: ClusterOptions) {
    const root = Prng.fromSeed(options.seed);
    this.voters = Array.from({ length: options.size }, (_, i) => i + 1);
    for (const id of this.voters) {
      const config: RaftConfig = {
        ...defaultConfig(id, []),
        electionTicks: 5,
        preVote: options.preVote,
        checkQuorum: options.checkQuorum,
        maxInflightMsgs: 4,
        maxSizePerMsg: 64,
      };
      const storage = MemoryStorage.bootstrap({ voters: this.voters, learners: [], votersOutgoing: [] });
      const prng = root.fork(`node-${id}`);
      this.members.push({ id, node: new RaftNode(config, storage, prng), storage, config, prng, up: true, applied: 1, stateMachine: [] });
      this.side.push(0);
    }
  }

  private member(index: number): Member {
    return this.members[index % this.members.length]!;
  }

  /** Apply one action, then let every up member process its Ready; check invariants. */
  apply(a: Action): void {
    this.trace.push(describeAction(a));
    switch (a.t) {
      case "deliver":
      case "drop":
      case "duplicate": {
        if (this.bus.length === 0) break;
        const at = a.pick % this.bus.length;
        const m = this.bus[at]!;
        if (a.t === "duplicate") {
          this.deliver(m);
        } else {
          this.bus.splice(at, 1);
          if (a.t === "deliver") this.deliver(m);
          else this.reportSnapshot(m, false);
        }
        break;
      }
      case "tick": {
        const n = this.member(a.node);
        if (n.up) n.node.tick();
        break;
      }
      case "tickAll":
        for (const n of this.members) if (n.up) n.node.tick();
        break;
      case "ready":
        this.processReady(this.member(a.node));
        break;
      case "crash":
        this.crash(this.member(a.node), a.persist);
        break;
      case "restart":
        this.restart(this.member(a.node));
        break;
      case "partition":
        this.side = this.members.map((_, i) => (a.mask >> i) & 1);
        break;
      case "heal":
        this.side = this.members.map(() => 0);
        break;
      case "propose": {
        const n = this.member(a.node);
        if (n.up) n.node.propose(`v${a.value}`);
        break;
      }
      case "compact":
        this.compact(this.member(a.node));
        break;
    }
    this.check();
  }

  private deliver(m: Message): void {
    const delivered = this.tryDeliver(m);
    this.reportSnapshot(m, delivered);
  }

  /** Step `m` on its recipient unless that one is down or on the other side of a partition. */
  private tryDeliver(m: Message): boolean {
    const to = this.members.find((x) => x.id === m.to);
    const from = this.members.find((x) => x.id === m.from);
    if (to === undefined || from === undefined || !to.up) return false;
    if (this.side[this.members.indexOf(to)] !== this.side[this.members.indexOf(from)]) return false;
    to.node.step(m);
    return true;
  }

  /**
   * The transport tells the sender how a MsgSnap went, as etcd's rafthttp snapshotSender does
   * (ReportSnapshot finish or failure). Raft requires it: a leader keeps the follower in
   * StateSnapshot, sending nothing, until the report (or an ack) arrives, so a lost snapshot
   * unreported would leave the follower in limbo for good.
   */
  private reportSnapshot(m: Message, delivered: boolean): void {
    if (m.type !== "MsgSnap") return;
    const from = this.members.find((x) => x.id === m.from);
    if (from !== undefined && from.up) from.node.reportSnapshot(m.to, delivered);
  }

  processReady(n: Member): void {
    if (!n.up || !n.node.hasReady()) return;
    const rd = n.node.ready();
    if (rd.snapshot !== null) {
      n.storage.applySnapshot(rd.snapshot);
      n.stateMachine = rd.snapshot.data === "" ? [] : rd.snapshot.data.split(",");
      n.applied = rd.snapshot.metadata.index;
    }
    n.storage.append(rd.entries);
    if (rd.hardState !== null) n.storage.setHardState(rd.hardState);
    for (const m of rd.messages) this.bus.push(m);
    for (const e of rd.committedEntries) {
      if (e.type === "confChange") {
        const cc = decodeConfChange(e.data);
        if (cc !== null) n.node.applyConfChange(cc);
      } else if (e.data !== "") {
        n.stateMachine.push(e.data);
      }
      n.applied = e.index;
      const v = recordApplied(this.memory, n.id, e);
      if (v !== null) this.fail(v);
    }
    n.node.advance();
  }

  /** Crash: a Ready in progress may be partly written (entries before hard state), never sent. */
  private crash(n: Member, persist: "none" | "entries" | "all"): void {
    if (!n.up) return;
    if (n.node.hasReady() && persist !== "none") {
      const rd = n.node.ready();
      if (rd.snapshot !== null) n.storage.applySnapshot(rd.snapshot);
      n.storage.append(rd.entries);
      if (persist === "all" && rd.hardState !== null) n.storage.setHardState(rd.hardState);
    }
    n.up = false;
  }

  private restart(n: Member): void {
    if (n.up) return;
    const snap = n.storage.snapshot();
    n.node = new RaftNode(n.config, n.storage, n.prng);
    n.stateMachine = snap.data === "" ? [] : snap.data.split(",");
    n.applied = snap.metadata.index;
    n.up = true;
  }

  /** The host snapshots its state machine at the applied index and drops the log before it. */
  private compact(n: Member): void {
    if (!n.up || n.applied <= n.storage.snapshot().metadata.index) return;
    const conf = n.node.status().confState;
    n.storage.createSnapshot(n.applied, conf, n.stateMachine.join(","));
    n.storage.compact(n.applied);
  }

  views(): MemberView[] {
    return this.members.map((n) => {
      if (n.up) {
        const r = n.node.raft;
        return { id: n.id, term: r.term, role: r.role, commit: r.log.committed, log: r.log, durable: n.storage };
      }
      const hs = n.storage.initialState().hardState;
      return { id: n.id, term: hs.term, role: "follower", commit: hs.commit, log: n.storage, durable: n.storage };
    });
  }

  check(): void {
    const v = checkAll(this.memory, this.views(), this.voters);
    if (v !== null) this.fail(v);
  }

  private fail(violation: string): never {
    const tail = this.trace.slice(-30).join(" ");
    const bus = this.bus.slice(0, 10).map(formatMessage).join("; ");
    throw new Error(`${violation}\n  after ${this.trace.length} actions; last: ${tail}\n  bus: ${bus}`);
  }

  /** Heal, restart everyone and run ticks + full delivery until a leader commits a probe entry. */
  converge(roundsMax: number): { leader: NodeId; rounds: number } | null {
    this.apply({ t: "heal" });
    for (const n of this.members) if (!n.up) this.restart(n);
    let proposed = false;
    for (let round = 0; round < roundsMax; round++) {
      for (const n of this.members) n.node.tick();
      for (let inner = 0; inner < 50; inner++) {
        for (const n of this.members) this.processReady(n);
        if (this.bus.length === 0) break;
        const msgs = this.bus;
        this.bus = [];
        for (const m of msgs) this.deliver(m);
      }
      this.check();
      const leader = this.members.find((n) => n.node.raft.role === "leader");
      if (leader === undefined) continue;
      if (!proposed) {
        proposed = leader.node.propose("probe") === "ok";
        continue;
      }
      const last = leader.node.raft.log.lastIndex();
      if (this.members.every((n) => n.applied >= last && n.node.raft.log.lastIndex() === last)) {
        return { leader: leader.id, rounds: round };
      }
    }
    return null;
  }
}
