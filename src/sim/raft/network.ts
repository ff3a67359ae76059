/**
 * The simulated network between Raft members: per-link log-normal latency, loss, duplication,
 * extra-delay reordering, symmetric and asymmetric partitions, and clogged links (messages held
 * until the clog lifts, as FoundationDB's "clogging"). Deterministic: every random draw comes from
 * a per-link fork of the injected Prng, so traffic on one link never shifts another link's stream.
 *
 * Members are numbered 1..memberCount. A partition is checked when a message is sent *and* when it
 * arrives, so a message in flight when a partition starts is lost, as on a real cut link.
 */
import { assert } from "../../model/assert.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { Actor, Engine } from "../engine.ts";

export interface LinkParams {
  /** Median one-way latency (log-normal). */
  latencyMedianMs: number;
  /** Sigma of the underlying normal; 0 = constant latency. */
  latencySigma: number;
  latencyMsMin: Ms;
  latencyMsMax: Ms;
  /** Probability that a message is silently dropped. */
  lossRate: number;
  /** Probability that a message is delivered twice (the copy gets its own latency). */
  duplicateRate: number;
  /** Probability that a message is held back by an extra uniform delay in [0, reorderDelayMsMax). */
  reorderRate: number;
  reorderDelayMsMax: Ms;
}

/** A LAN inside one data centre: ~1 ms one way, rare stragglers, no loss. */
export function lanLinkParams(): LinkParams {
  return {
    latencyMedianMs: 1,
    latencySigma: 0.3,
    latencyMsMin: 0,
    latencyMsMax: 50,
    lossRate: 0,
    duplicateRate: 0,
    reorderRate: 0,
    reorderDelayMsMax: 0,
  };
}

/** Who hears about arrivals. `nowMs` is the arrival time. */
export interface NetworkReceiver<M> {
  receive(from: number, to: number, message: M, nowMs: Ms): void;
  /** A message was lost: "partition" means a cut link (a real transport notices), "loss" does not. */
  dropped?(from: number, to: number, message: M, reason: DropReason): void;
}

export type DropReason = "loss" | "partition" | "filter";

/** Why a message did not arrive; counted per reason. */
export interface NetworkStats {
  sent: number;
  delivered: number;
  droppedLoss: number;
  droppedPartition: number;
  droppedFilter: number;
  duplicated: number;
}

interface Envelope<M> {
  from: number;
  to: number;
  message: M;
}

const TAG_DELIVER = 1;

export class SimNetwork<M> implements Actor {
  readonly memberCount: number;
  /** Bumped by every partition, isolation, cut or heal, so observers can skip unchanged checks. */
  topologyVersion = 0;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, droppedLoss: 0, droppedPartition: 0, droppedFilter: 0, duplicated: 0 };
  private readonly engine: Engine;
  private readonly receiver: NetworkReceiver<M>;
  private readonly baseParams: LinkParams;
  /** Per link (from * stride + to): current parameters, block flag, clog end, random stream. */
  private readonly params: LinkParams[];
  private readonly blocked: Uint8Array;
  private readonly clogUntilMs: Float64Array;
  private readonly prngs: Prng[];
  private readonly stride: number;
  /** Optional test hook: return true to drop a message (e.g. only MsgApp to one follower). */
  dropFilter: ((from: number, to: number, message: M) => boolean) | null = null;
  /**
   * Copies a message for a duplicate delivery: a real network delivers two serialized copies, and
   * a receiver may keep or stamp what it receives. Identity by default.
   */
  cloneMessage: (message: M) => M = (message) => message;

  constructor(engine: Engine, prng: Prng, memberCount: number, params: LinkParams, receiver: NetworkReceiver<M>) {
    assert(memberCount >= 1, "network needs at least one member");
    this.engine = engine;
    this.receiver = receiver;
    this.memberCount = memberCount;
    this.baseParams = { ...params };
    this.stride = memberCount + 1;
    const links = this.stride * this.stride;
    this.params = new Array(links);
    this.prngs = new Array(links);
    this.blocked = new Uint8Array(links);
    this.clogUntilMs = new Float64Array(links);
    for (let from = 1; from <= memberCount; from++) {
      for (let to = 1; to <= memberCount; to++) {
        const link = from * this.stride + to;
        this.params[link] = { ...params };
        this.prngs[link] = prng.fork(`link/${from}->${to}`);
      }
    }
  }

  /** Sends one message; it arrives later via the receiver, or never. */
  send(from: number, to: number, message: M): void {
    const link = this.link(from, to);
    this.stats.sent++;
    if (this.dropFilter !== null && this.dropFilter(from, to, message)) {
      this.stats.droppedFilter++;
      this.receiver.dropped?.(from, to, message, "filter");
      return;
    }
    if (this.blocked[link] === 1) {
      this.stats.droppedPartition++;
      this.receiver.dropped?.(from, to, message, "partition");
      return;
    }
    const params = this.params[link] as LinkParams;
    const prng = this.prngs[link] as Prng;
    if (params.lossRate > 0 && prng.chance(params.lossRate)) {
      this.stats.droppedLoss++;
      this.receiver.dropped?.(from, to, message, "loss");
      return;
    }
    const envelope: Envelope<M> = { from, to, message };
    this.engine.at(this.arrivalMs(link, params, prng), this, TAG_DELIVER, envelope);
    if (params.duplicateRate > 0 && prng.chance(params.duplicateRate)) {
      this.stats.duplicated++;
      this.engine.at(this.arrivalMs(link, params, prng), this, TAG_DELIVER, { from, to, message: this.cloneMessage(message) });
    }
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    assert(tag === TAG_DELIVER, `network: unknown tag ${tag}`);
    const envelope = data as Envelope<M>;
    if (this.blocked[this.link(envelope.from, envelope.to)] === 1) {
      this.stats.droppedPartition++;
      this.receiver.dropped?.(envelope.from, envelope.to, envelope.message, "partition");
      return;
    }
    this.stats.delivered++;
    this.receiver.receive(envelope.from, envelope.to, envelope.message, nowMs);
  }

  /** True when a message sent now from `from` to `to` is not blocked by a partition. */
  connected(from: number, to: number): boolean {
    return from === to || this.blocked[this.link(from, to)] === 0;
  }

  /**
   * Symmetric partition: members in different groups cannot talk. A member listed in no group is
   * cut off from everyone. Replaces any previous partition (clogs and link faults stay).
   */
  partition(groups: readonly (readonly number[])[]): void {
    this.topologyVersion++;
    const groupOf = new Int32Array(this.stride).fill(-1);
    groups.forEach((group, g) => {
      for (const id of group) {
        this.checkId(id);
        assert(groupOf[id] === -1, `member ${id} listed in two partition groups`);
        groupOf[id] = g;
      }
    });
    for (let from = 1; from <= this.memberCount; from++) {
      for (let to = 1; to <= this.memberCount; to++) {
        const together = from === to || (groupOf[from] !== -1 && groupOf[from] === groupOf[to]);
        this.blocked[from * this.stride + to] = together ? 0 : 1;
      }
    }
  }

  /** Cuts every link to and from one member. */
  isolate(id: number): void {
    this.topologyVersion++;
    this.checkId(id);
    for (let other = 1; other <= this.memberCount; other++) {
      if (other === id) continue;
      this.blocked[this.link(id, other)] = 1;
      this.blocked[this.link(other, id)] = 1;
    }
  }

  /** Asymmetric fault: messages from `from` to `to` are lost; the reverse direction still works. */
  blockOneWay(from: number, to: number): void {
    this.topologyVersion++;
    if (from !== to) this.blocked[this.link(from, to)] = 1;
  }

  unblockOneWay(from: number, to: number): void {
    this.topologyVersion++;
    this.blocked[this.link(from, to)] = 0;
  }

  /** Holds every message sent on from→to before `untilMs` until then (nothing is lost). */
  clog(from: number, to: number, untilMs: Ms): void {
    const link = this.link(from, to);
    this.clogUntilMs[link] = Math.max(this.clogUntilMs[link] as number, untilMs);
  }

  /** Overrides some parameters of one directed link until heal(). */
  degradeLink(from: number, to: number, override: Partial<LinkParams>): void {
    const link = this.link(from, to);
    this.params[link] = { ...(this.params[link] as LinkParams), ...override };
  }

  /** Ends every partition, clog and link degradation; messages already dropped stay dropped. */
  heal(): void {
    this.topologyVersion++;
    this.blocked.fill(0);
    this.clogUntilMs.fill(0);
    for (let from = 1; from <= this.memberCount; from++) {
      for (let to = 1; to <= this.memberCount; to++) this.params[from * this.stride + to] = { ...this.baseParams };
    }
  }

  private arrivalMs(link: number, params: LinkParams, prng: Prng): Ms {
    const nowMs = this.engine.nowMs;
    let latencyMs = params.latencySigma > 0 ? prng.logNormal(params.latencyMedianMs, params.latencySigma) : params.latencyMedianMs;
    latencyMs = Math.min(params.latencyMsMax, Math.max(params.latencyMsMin, Math.round(latencyMs)));
    if (params.reorderRate > 0 && params.reorderDelayMsMax > 0 && prng.chance(params.reorderRate)) {
      latencyMs += prng.int(0, params.reorderDelayMsMax);
    }
    const departMs = Math.max(nowMs, this.clogUntilMs[link] as number);
    return departMs + latencyMs;
  }

  private link(from: number, to: number): number {
    this.checkId(from);
    this.checkId(to);
    return from * this.stride + to;
  }

  private checkId(id: number): void {
    // Hot path: build the message only on failure.
    if (!(Number.isInteger(id) && id >= 1 && id <= this.memberCount)) assert(false, `network: no member ${id}`);
  }
}
