import type { Prng } from "../model/prng.ts";
import type { MemoryStorage } from "./storage.ts";
import type { ConfChange, ConfState, Message, NodeId, RaftConfig, RaftResult, RaftStatus, Ready } from "./types.ts";

/**
 * One Raft member, IO-less (etcd-raft's RawNode shape). STUB: signatures are final, bodies follow.
 */
export class RaftNode {
  constructor(config: RaftConfig, storage: MemoryStorage, prng: Prng) {
    void config;
    void storage;
    void prng;
  }
  get id(): NodeId {
    return 0;
  }
  tick(): void {}
  step(message: Message): RaftResult {
    void message;
    return "ok";
  }
  campaign(): RaftResult {
    return "ok";
  }
  propose(data: string): RaftResult {
    void data;
    return "ok";
  }
  proposeConfChange(cc: ConfChange): RaftResult {
    void cc;
    return "ok";
  }
  applyConfChange(cc: ConfChange): ConfState {
    void cc;
    return { voters: [], learners: [], votersOutgoing: [] };
  }
  readIndex(requestCtx: string): void {
    void requestCtx;
  }
  transferLeader(to: NodeId): void {
    void to;
  }
  reportUnreachable(id: NodeId): void {
    void id;
  }
  reportSnapshot(id: NodeId, ok: boolean): void {
    void id;
    void ok;
  }
  hasReady(): boolean {
    return false;
  }
  ready(): Ready {
    throw new Error("stub");
  }
  advance(): void {}
  status(): RaftStatus {
    throw new Error("stub");
  }
}
