import type { Message, NodeId, ReadOnlyOption } from "./types.ts";

export interface ReadIndexStatus {
  index: number;
  request: Message;
  acks: Set<NodeId>;
}

/**
 * Pending ReadIndex requests of a leader (safe mode): each waits for a heartbeat round acknowledged
 * by a quorum, which proves we were still the leader when the commit index was read. Acks for a
 * later request also confirm every earlier one (they share the queue order).
 */
export class ReadOnly {
  readonly option: ReadOnlyOption;
  private pending = new Map<string, ReadIndexStatus>();
  private queue: string[] = [];

  constructor(option: ReadOnlyOption) {
    this.option = option;
  }

  addRequest(index: number, request: Message): void {
    const ctx = request.context;
    if (this.pending.has(ctx)) return;
    this.pending.set(ctx, { index, request, acks: new Set() });
    this.queue.push(ctx);
  }

  /** Record that `id` acknowledged the round for `ctx`; the acks so far, or null if unknown. */
  recvAck(id: NodeId, ctx: string): ReadonlySet<NodeId> | null {
    const status = this.pending.get(ctx);
    if (status === undefined) return null;
    status.acks.add(id);
    return status.acks;
  }

  /** Release `ctx` and every request queued before it. */
  advance(ctx: string): ReadIndexStatus[] {
    const at = this.queue.indexOf(ctx);
    if (at < 0) return [];
    const released = this.queue.splice(0, at + 1);
    const out: ReadIndexStatus[] = [];
    for (const c of released) {
      const status = this.pending.get(c);
      if (status !== undefined) out.push(status);
      this.pending.delete(c);
    }
    return out;
  }

  lastPendingRequestCtx(): string {
    return this.queue.length === 0 ? "" : (this.queue[this.queue.length - 1] as string);
  }

  pendingCount(): number {
    return this.queue.length;
  }

  reset(): void {
    this.pending.clear();
    this.queue.length = 0;
  }
}
