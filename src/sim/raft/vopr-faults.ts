/**
 * The VOPR's safety-phase nemesis: at random intervals it crashes or restarts members, partitions
 * (isolate one, split in two, or cut one direction), heals, clogs links, slows disks, drifts
 * clocks and degrades links. Every decision comes from its own Prng fork.
 */
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { Actor, Engine } from "../engine.ts";
import type { RaftGroup } from "./raft-group.ts";
import type { FaultRates } from "./vopr-world.ts";

const TAG_DECIDE = 1;

export class FaultInjector implements Actor {
  readonly log: { atMs: Ms; fault: string }[] = [];
  private readonly engine: Engine;
  private readonly prng: Prng;
  private readonly group: RaftGroup;
  private readonly rates: FaultRates;
  private readonly electionMs: Ms;
  private stopped = false;

  constructor(engine: Engine, prng: Prng, group: RaftGroup, rates: FaultRates) {
    this.engine = engine;
    this.prng = prng;
    this.group = group;
    this.rates = rates;
    this.electionMs = group.params.electionTicks * group.params.tickMs;
  }

  start(): void {
    this.scheduleNext();
  }

  stop(): void {
    this.stopped = true;
  }

  onEvent(_tag: number, _data: unknown, _nowMs: Ms): void {
    if (this.stopped) return;
    this.decide();
    this.scheduleNext();
  }

  private scheduleNext(): void {
    this.engine.after(Math.max(1, Math.round(this.prng.exponential(this.rates.faultIntervalMs))), this, TAG_DECIDE);
  }

  private decide(): void {
    const r = this.rates;
    const p = this.prng;
    const n = this.group.members.length;
    const up = this.group.members.filter((m) => m.up).map((m) => m.id);
    const down = this.group.members.filter((m) => !m.up).map((m) => m.id);
    if (up.length > 0 && p.chance(r.crash)) this.record(`crash ${this.crash(p.pick(up))}`);
    if (down.length > 0 && p.chance(r.restart)) this.record(`restart ${this.restart(p.pick(down))}`);
    if (n > 1 && p.chance(r.partition)) this.record(this.partition());
    if (p.chance(r.heal)) {
      this.group.network.heal();
      this.record("heal");
    }
    if (n > 1 && p.chance(r.clog)) {
      const [from, to] = this.randomLink();
      const untilMs = this.engine.nowMs + p.int(1, 5 * this.electionMs);
      this.group.network.clog(from, to, untilMs);
      this.record(`clog ${from}->${to} until ${untilMs}`);
    }
    if (p.chance(r.slowDisk)) {
      const id = p.int(1, n + 1);
      const factor = p.pick([2, 10, 50]);
      this.group.slowDisk(id, factor, p.int(1, 2000));
      this.record(`slow disk ${id} x${factor}`);
    }
    if (p.chance(r.drift)) {
      const id = p.int(1, n + 1);
      const factor = 0.7 + p.nextFloat() * 0.8;
      this.group.driftClock(id, factor);
      this.record(`drift ${id} x${factor.toFixed(2)}`);
    }
    if (n > 1 && p.chance(r.degradeLink)) {
      const [from, to] = this.randomLink();
      const lossRate = p.nextFloat() * 0.5;
      this.group.network.degradeLink(from, to, { lossRate });
      this.record(`degrade ${from}->${to} loss ${lossRate.toFixed(2)}`);
    }
  }

  private crash(id: number): number {
    this.group.crash(id);
    return id;
  }

  private restart(id: number): number {
    this.group.restart(id);
    return id;
  }

  private partition(): string {
    const p = this.prng;
    const n = this.group.members.length;
    const network = this.group.network;
    const mode = p.int(0, 3);
    if (mode === 0) {
      const id = p.int(1, n + 1);
      network.isolate(id);
      return `isolate ${id}`;
    }
    if (mode === 1) {
      const ids = p.shuffled(this.group.members.map((m) => m.id));
      const cut = p.int(1, n);
      const groups = [ids.slice(0, cut).sort((a, b) => a - b), ids.slice(cut).sort((a, b) => a - b)];
      network.partition(groups);
      return `partition ${JSON.stringify(groups)}`;
    }
    const [from, to] = this.randomLink();
    network.blockOneWay(from, to);
    return `block ${from}->${to}`;
  }

  private randomLink(): [number, number] {
    const n = this.group.members.length;
    const from = this.prng.int(1, n + 1);
    let to = this.prng.int(1, n);
    if (to >= from) to++;
    return [from, to];
  }

  private record(fault: string): void {
    this.log.push({ atMs: this.engine.nowMs, fault });
  }
}
