/**
 * The cloud behind the node groups: a requested node (NodeProvisioning, the cluster autoscaler's
 * ProvisionNode) boots for the pool's provisioning delay — drawn per node from its own exogenous
 * stream `world/node/<node>/provision`, so every variant of a seed sees the same boot times for
 * the same node — then registers Ready (NodeAdded) and its kubelet starts; a deleted node
 * (NodeRemoved) loses its machine and kubelet. It also keeps the bill: every node costs its pool's
 * price per hour from its request (or the start of the run) to its deletion (or the end).
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { ApiServer, WriteOutcome } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";
import { drawMs } from "../kubelet/container-behavior.ts";
import type { NodePoolPlan } from "../plan.ts";
import type { Kubelet } from "./kubelet.ts";

const tagJoin = 1;
const tagJoined = 2;

export interface NodeGroupBill {
  pool: string;
  pricePerHour: number;
  /** Node lifetimes summed, in ms (billed from each node's request). */
  nodeMs: Ms;
  nodesAdded: number;
  nodesRemoved: number;
  nodesAtEnd: number;
  nodesPeak: number;
}

export class CloudProvider implements Actor {
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly pools: ReadonlyMap<string, NodePoolPlan>;
  private readonly root: Prng;
  private readonly startKubelet: (pool: NodePoolPlan, name: string) => Kubelet;
  private readonly makeNodeOf: (pool: NodePoolPlan, name: string, atMs: Ms) => ClusterEvent;
  /** Node → pool and when its bill started, while it lives (requested or registered). */
  private readonly alive = new Map<string, { pool: string; sinceMs: Ms }>();
  private readonly booting = new Set<string>();
  private readonly bills = new Map<string, NodeGroupBill>();
  private readonly kubelets: Map<string, Kubelet>;

  constructor(
    engine: Engine,
    api: ApiServer,
    pools: readonly NodePoolPlan[],
    root: Prng,
    kubelets: Map<string, Kubelet>,
    startKubelet: (pool: NodePoolPlan, name: string) => Kubelet,
    makeNodeOf: (pool: NodePoolPlan, name: string, atMs: Ms) => ClusterEvent,
  ) {
    this.engine = engine;
    this.api = api;
    this.pools = new Map(pools.map((p) => [p.name, p]));
    this.root = root;
    this.kubelets = kubelets;
    this.startKubelet = startKubelet;
    this.makeNodeOf = makeNodeOf;
    for (const p of pools) this.bills.set(p.name, { pool: p.name, pricePerHour: p.pricePerHour ?? 0, nodeMs: 0, nodesAdded: 0, nodesRemoved: 0, nodesAtEnd: 0, nodesPeak: 0 });
    api.probe((event, atMs) => this.onApplied(event, atMs));
  }

  /** A node of a pool at the start of the run. */
  started(pool: string, name: string): void {
    this.begin(pool, name, 0);
  }

  private begin(pool: string, name: string, atMs: Ms): void {
    this.alive.set(name, { pool, sinceMs: atMs });
    const bill = this.bills.get(pool) as NodeGroupBill;
    bill.nodesPeak = Math.max(bill.nodesPeak, this.count(pool));
  }

  private end(name: string, atMs: Ms): void {
    const life = this.alive.get(name);
    if (life === undefined) return;
    this.alive.delete(name);
    const bill = this.bills.get(life.pool) as NodeGroupBill;
    bill.nodeMs += atMs - life.sinceMs;
    bill.nodesRemoved++;
  }

  private count(pool: string): number {
    let n = 0;
    for (const life of this.alive.values()) if (life.pool === pool) n++;
    return n;
  }

  private onApplied(event: ClusterEvent, atMs: Ms): void {
    if (event.kind === "NodeProvisioning") {
      const pool = this.pools.get(event.pool);
      if (pool === undefined || this.alive.has(event.name)) return;
      (this.bills.get(pool.name) as NodeGroupBill).nodesAdded++;
      this.begin(pool.name, event.name, atMs);
      this.booting.add(event.name);
      const delay = drawMs(pool.provisioningDelayMs ?? { minMs: 0, maxMs: 0 }, this.root.fork(`world/node/${event.name}/provision`));
      this.engine.after(delay, this, tagJoin, { pool: pool.name, name: event.name });
    } else if (event.kind === "NodeProvisioningCancelled") {
      if (this.booting.delete(event.name)) this.end(event.name, atMs);
    } else if (event.kind === "NodeRemoved") {
      this.end(event.name, atMs);
      const kubelet = this.kubelets.get(event.name);
      if (kubelet !== undefined && kubelet.up) kubelet.crash(); // the machine is gone
    }
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    if (tag === tagJoin) {
      const { pool, name } = data as { pool: string; name: string };
      if (!this.booting.has(name)) return; // released before it booted
      const plan = this.pools.get(pool) as NodePoolPlan;
      this.api.submit(this.makeNodeOf(plan, name, nowMs), false, { actor: this, tag: tagJoined });
      return;
    }
    const outcome = data as WriteOutcome;
    if (outcome.event.kind !== "NodeAdded") return;
    const name = outcome.event.node.metadata.name;
    this.booting.delete(name);
    if (!outcome.ok) return;
    const pool = this.pools.get(this.alive.get(name)?.pool ?? "") as NodePoolPlan;
    this.startKubelet(pool, name);
  }

  /** The bills at `endMs` (nodes still alive billed up to it), in pool order. */
  billsAt(endMs: Ms): NodeGroupBill[] {
    const out: NodeGroupBill[] = [];
    for (const bill of this.bills.values()) {
      let nodeMs = bill.nodeMs;
      let atEnd = 0;
      for (const life of this.alive.values()) {
        if (life.pool !== bill.pool) continue;
        nodeMs += endMs - life.sinceMs;
        atEnd++;
      }
      out.push({ ...bill, nodeMs, nodesAtEnd: atEnd });
    }
    return out;
  }
}
