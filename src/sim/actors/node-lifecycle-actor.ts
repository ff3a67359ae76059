/**
 * Runs the node lifecycle policy every node-monitor-period against the kubelets' lease table, and
 * also at the moment the next tolerated NoExecute taint runs out (the taint eviction controller
 * keeps timers; a period tick alone would evict up to a period late).
 */
import type { Ms } from "../../model/units.ts";
import { monitorNodes } from "../../policies/controllers/node-lifecycle.ts";
import type { ApiServer } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";

const tagPeriod = 0;
const tagEviction = 1;

export class NodeLifecycleActor implements Actor {
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly leases: ReadonlyMap<string, Ms>;
  private readonly periodMs: Ms;
  private readonly graceMs: Ms;
  private evictionWakeMs = Infinity;
  /** Only the latest eviction wake-up counts; earlier ones it replaced are ignored when they fire. */
  private evictionWakeToken = 0;

  constructor(engine: Engine, api: ApiServer, leases: ReadonlyMap<string, Ms>, periodMs: Ms, graceMs: Ms) {
    this.engine = engine;
    this.api = api;
    this.leases = leases;
    this.periodMs = periodMs;
    this.graceMs = graceMs;
  }

  start(): void {
    this.engine.after(this.periodMs, this, tagPeriod);
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    if (tag === tagPeriod) this.engine.after(this.periodMs, this, tagPeriod);
    else if (data !== this.evictionWakeToken) return; // superseded by an earlier wake-up
    else this.evictionWakeMs = Infinity;
    // Without a control plane the controller-manager loses its own lease and stops acting.
    if (!this.api.available()) return;
    const pass = monitorNodes(this.api.state, this.leases, nowMs, { nodeMonitorGraceMs: this.graceMs });
    for (const d of pass.decisions) this.api.execute(d);
    if (pass.nextEvictionMs < this.evictionWakeMs && pass.nextEvictionMs < nowMs + this.periodMs) {
      this.evictionWakeMs = pass.nextEvictionMs;
      this.engine.at(pass.nextEvictionMs, this, tagEviction, ++this.evictionWakeToken);
    }
  }
}
