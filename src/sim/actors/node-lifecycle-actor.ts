/** Runs the node lifecycle policy every node-monitor-period against the kubelets' lease table. */
import type { Ms } from "../../model/units.ts";
import { monitorNodes } from "../../policies/controllers/node-lifecycle.ts";
import type { ApiServer } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";

export class NodeLifecycleActor implements Actor {
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly leases: ReadonlyMap<string, Ms>;
  private readonly periodMs: Ms;
  private readonly graceMs: Ms;

  constructor(engine: Engine, api: ApiServer, leases: ReadonlyMap<string, Ms>, periodMs: Ms, graceMs: Ms) {
    this.engine = engine;
    this.api = api;
    this.leases = leases;
    this.periodMs = periodMs;
    this.graceMs = graceMs;
  }

  start(): void {
    this.engine.after(this.periodMs, this, 0);
  }

  onEvent(_tag: number, _data: unknown, nowMs: Ms): void {
    // Without a control plane the controller-manager loses its own lease and stops acting.
    if (this.api.available()) for (const d of monitorNodes(this.api.state, this.leases, nowMs, { nodeMonitorGraceMs: this.graceMs })) this.api.execute(d);
    this.engine.after(this.periodMs, this, 0);
  }
}
