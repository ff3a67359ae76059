import { Prng } from "../../src/model/prng.ts";
import { decodeConfChange, formatConfState } from "../../src/raft/confchange.ts";
import { checkAll, newInvariantMemory, recordApplied, type InvariantMemory, type MemberView } from "../../src/raft/invariants.ts";
import { RaftNode } from "../../src/raft/raft-node.ts";
import { MemoryStorage } from "../../src/raft/storage.ts";
import type { ConfState, Message, NodeId, RaftConfig, Snapshot } from "../../src/raft/types.ts";
import { formatMessage, formatReady } from "./format.ts";

/** A Prng that always draws the lowest value: randomized election timeouts equal electionTicks. */
export class LowestPrng extends Prng {
  override int(lo: number, _hiExclusive: number): number {
    return lo;
  }
}

export interface EnvNode {
  id: NodeId;
  node: RaftNode;
  storage: MemoryStorage;
  config: RaftConfig;
  prng: Prng;
  /** The host state machine: data of applied normal entries, in order. */
  stateMachine: string[];
  appliedIndex: number;
  confState: ConfState;
  crashed: boolean;
}

/**
 * The interaction environment behind the scripts (etcd's rafttest.InteractionEnv): a set of
 * nodes, a host loop that processes Readys exactly as the persistence contract says, and a
 * network queue with partitions and filters that the script drives step by step.
 */
export class InteractionEnv {
  nodes: EnvNode[] = [];
  queue: Message[] = [];
  out: string[] = [];
  logLevel: "info" | "none" = "info";
  partition: NodeId[][] | null = null;
  /** Message types dropped on delivery (etcd's ignore()). */
  ignored = new Set<string>();
  memory: InvariantMemory = newInvariantMemory();

  get(id: NodeId): EnvNode {
    const n = this.nodes.find((x) => x.id === id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  print(line: string): void {
    this.out.push(line);
  }

  private attachLogger(n: EnvNode): void {
    n.node.setLogger((line) => {
      if (this.logLevel === "info") this.out.push(`INFO ${line}`);
    });
  }

  addNode(config: RaftConfig, storage: MemoryStorage, prng: Prng): EnvNode {
    const snap = storage.snapshot();
    const n: EnvNode = {
      id: config.id,
      node: null as unknown as RaftNode,
      storage,
      config,
      prng,
      stateMachine: decodeStateMachine(snap.data),
      appliedIndex: snap.metadata.index,
      confState: snap.metadata.confState,
      crashed: false,
    };
    n.node = new RaftNode(config, storage, prng);
    this.attachLogger(n);
    this.printNewRaft(n);
    this.nodes.push(n);
    this.nodes.sort((a, b) => a.id - b.id);
    return n;
  }

  private printNewRaft(n: EnvNode): void {
    if (this.logLevel !== "info") return;
    const st = n.node.status();
    const conf = formatConfState(st.confState);
    this.out.push(`INFO newRaft ${n.id} [${conf}] term: ${st.hardState.term} commit: ${st.hardState.commit} applied: ${st.applied} lastindex: ${st.lastIndex}`);
  }

  /** Crash and restart: everything not in storage (unstable entries, volatile state) is lost. */
  restart(id: NodeId): void {
    const n = this.get(id);
    const snap = n.storage.snapshot();
    n.stateMachine = decodeStateMachine(snap.data);
    n.appliedIndex = snap.metadata.index;
    n.confState = snap.metadata.confState;
    n.node = new RaftNode(n.config, n.storage, n.prng);
    this.attachLogger(n);
    this.printNewRaft(n);
  }

  processReady(id: NodeId): void {
    const n = this.get(id);
    const rd = n.node.ready();
    this.print(`> ${id} handling Ready`);
    for (const line of formatReady(rd)) this.print(`  ${line}`);
    // 1-3: persist snapshot, entries, hard state (synchronously durable here)
    if (rd.snapshot !== null) this.restoreStateMachine(n, rd.snapshot);
    n.storage.append(rd.entries);
    if (rd.hardState !== null) n.storage.setHardState(rd.hardState);
    // 4: now the messages may leave
    for (const m of rd.messages) this.queue.push(m);
    // 5: apply
    for (const e of rd.committedEntries) {
      if (e.type === "confChange") {
        const cc = decodeConfChange(e.data);
        if (cc !== null) n.confState = n.node.applyConfChange(cc);
      } else if (e.data !== "") {
        n.stateMachine.push(e.data);
      }
      n.appliedIndex = e.index;
      const violation = recordApplied(this.memory, id, e);
      if (violation !== null) throw new Error(violation);
    }
    n.node.advance();
  }

  private restoreStateMachine(n: EnvNode, snapshot: Snapshot): void {
    n.storage.applySnapshot(snapshot);
    n.stateMachine = decodeStateMachine(snapshot.data);
    n.appliedIndex = snapshot.metadata.index;
    n.confState = snapshot.metadata.confState;
  }

  /** Why a message from `from` to `to` is dropped on the wire, or null. */
  dropReason(m: Message): string | null {
    if (this.ignored.has(m.type)) return "ignored type";
    if (this.partition !== null) {
      const ga = this.partition.findIndex((g) => g.includes(m.from));
      const gb = this.partition.findIndex((g) => g.includes(m.to));
      if (ga !== gb) return "partitioned";
    }
    if (this.nodes.find((x) => x.id === m.to)?.crashed === true) return "node down";
    return null;
  }

  /** Deliver (or drop) all queued messages to `id`, in send order. Returns how many. */
  deliver(id: NodeId, drop: boolean, type: string | null): number {
    const mine = this.queue.filter((m) => m.to === id && (type === null || m.type === type));
    if (mine.length === 0) return 0;
    this.queue = this.queue.filter((m) => !mine.includes(m));
    const n = this.get(id);
    for (const m of mine) {
      const reason = drop ? "dropped" : this.dropReason(m);
      if (reason !== null) {
        this.print(`${formatMessage(m)} (${reason})`);
        continue;
      }
      this.print(formatMessage(m));
      const result = n.node.step(m);
      if (result !== "ok") this.print(`  -> ${result}`);
    }
    return mine.length;
  }

  hasMessagesFor(id: NodeId): boolean {
    return this.queue.some((m) => m.to === id);
  }

  /** Process Readys and deliver messages until quiet (bounded). */
  stabilize(ids: NodeId[]): void {
    for (let round = 0; round < 1000; round++) {
      let busy = false;
      for (const id of ids) {
        const n = this.get(id);
        if (!n.crashed && n.node.hasReady()) {
          this.processReady(id);
          busy = true;
        }
      }
      for (const id of ids) {
        if (this.get(id).crashed || !this.hasMessagesFor(id)) continue;
        this.print(`> ${id} receiving messages`);
        const before = this.out.length;
        this.deliver(id, false, null);
        for (let i = before; i < this.out.length; i++) this.out[i] = `  ${this.out[i]}`;
        busy = true;
      }
      if (!busy) return;
    }
    throw new Error("stabilize did not converge in 1000 rounds");
  }

  memberViews(): MemberView[] {
    return this.nodes.map((n) => {
      const r = n.node.raft;
      return { id: n.id, term: r.term, role: r.role, commit: r.log.committed, log: r.log, durable: n.storage };
    });
  }

  /** Run the safety checks over all nodes; throws on a violation (the script test fails). */
  checkInvariants(): void {
    const voters = this.nodes[0]?.confState.voters ?? [];
    const violation = checkAll(this.memory, this.memberViews(), voters);
    if (violation !== null) throw new Error(violation);
  }
}

export function encodeStateMachine(items: readonly string[]): string {
  return items.join(",");
}

export function decodeStateMachine(data: string): string[] {
  return data === "" ? [] : data.split(",");
}

export function defaultConfig(id: NodeId, peers: NodeId[]): RaftConfig {
  return {
    id,
    peers,
    electionTicks: 10,
    heartbeatTicks: 1,
    preVote: false,
    checkQuorum: false,
    maxInflightMsgs: 256,
    maxSizePerMsg: 1 << 20,
    readOnlyOption: "safe",
  };
}
