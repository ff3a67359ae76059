/**
 * Runs one controller of the one controller pattern (src/policies/controller.ts) in the
 * simulator: watch batches go to `observe`, dirty keys are reconciled in key order after the
 * controller delay (workqueue + processing), decisions go to the api server with a reply, and each
 * answer goes back to `onResult`. The actor keeps no knowledge of its own beyond the queue: what
 * the controller remembers is the state it returns.
 */
import { assert } from "../../model/assert.ts";
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { Controller, Reconciled } from "../../policies/controller.ts";
import type { ApiServer, Watcher, WriteOutcome } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";

const tagSync = 1;
const tagResult = 2;
const tagRequeue = 3;

export class ControllerActor<S> implements Actor, Watcher {
  private state: S;
  private readonly dirty = new Set<string>();
  private syncScheduled = false;
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly controller: Controller<S>;
  private readonly prng: Prng;
  private readonly syncMs: Ms;
  private readonly pauseWithoutStore: boolean;

  /**
   * `pauseWithoutStore`: skip reconciling while the control plane cannot serve (the
   * controller-manager loses its leader lease and stops acting, as the node lifecycle controller
   * must not mark every node unreachable because nobody could renew a lease).
   */
  constructor(engine: Engine, api: ApiServer, controller: Controller<S>, prng: Prng, syncMs: Ms, options: { pauseWithoutStore?: boolean } = {}) {
    this.engine = engine;
    this.api = api;
    this.controller = controller;
    this.prng = prng;
    this.syncMs = syncMs;
    this.pauseWithoutStore = options.pauseWithoutStore ?? false;
    this.state = controller.initialState();
    for (const q of controller.initialRequeue?.() ?? []) this.engine.after(q.afterMs, this, tagRequeue, q.key);
  }

  /** The controller's state as of now (read-only: for explanations and tests, never changed from outside). */
  get currentState(): S {
    return this.state;
  }

  onWatch(events: readonly ClusterEvent[]): void {
    for (const event of events) {
      const observed = this.controller.observe(this.api.state, this.state, event);
      this.state = observed.state;
      for (const key of observed.keys) this.dirty.add(key);
    }
    this.scheduleSync();
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    if (tag === tagSync) return this.sync(nowMs);
    if (tag === tagRequeue) {
      this.dirty.add(data as string);
      return this.scheduleSync();
    }
    const outcome = data as WriteOutcome;
    assert(outcome.decision !== undefined, `${this.controller.name}: an answer without its decision`);
    const result = outcome.ok ? { ok: true } : { ok: false, reason: outcome.reason ?? "" };
    this.apply(this.controller.onResult(this.api.state, this.state, outcome.decision, result, nowMs, this.prng));
  }

  private scheduleSync(): void {
    if (this.syncScheduled || this.dirty.size === 0) return;
    this.syncScheduled = true;
    this.engine.after(this.syncMs, this, tagSync);
  }

  private sync(nowMs: Ms): void {
    this.syncScheduled = false;
    const keys = [...this.dirty].sort();
    this.dirty.clear();
    const paused = this.pauseWithoutStore && !this.api.available();
    for (const key of keys) {
      const r = this.controller.reconcile(this.api.state, this.state, key, nowMs, this.prng);
      this.apply(paused ? { ...r, decisions: [] } : r);
    }
  }

  private apply(r: Reconciled<S>): void {
    this.state = r.state;
    for (const d of r.decisions) this.api.execute(d, { actor: this, tag: tagResult });
    for (const q of r.requeue) this.engine.after(q.afterMs, this, tagRequeue, q.key);
  }
}
