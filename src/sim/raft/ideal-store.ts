/**
 * A control-plane store without consensus: every write commits after a fixed small latency and the
 * store is always available. For huge runs where consensus is not the question.
 */
import { assert } from "../../model/assert.ts";
import type { Ms } from "../../model/units.ts";
import type { Actor, Engine } from "../engine.ts";
import type { CommitListener, ControlPlaneStore } from "./control-plane-store.ts";

const TAG_COMMIT = 1;

export class IdealStore implements ControlPlaneStore, Actor {
  private readonly engine: Engine;
  private readonly listener: CommitListener;
  private readonly commitLatencyMs: Ms;
  committed = 0;

  /** Default 2 ms: roughly etcd's write latency on an idle SSD-backed cluster. */
  constructor(engine: Engine, listener: CommitListener, commitLatencyMs: Ms = 2) {
    assert(commitLatencyMs >= 0 && Number.isInteger(commitLatencyMs), `commit latency must be integer ms ≥ 0, got ${commitLatencyMs}`);
    this.engine = engine;
    this.listener = listener;
    this.commitLatencyMs = commitLatencyMs;
  }

  propose(writeId: number, _sizeBytes: number): void {
    this.engine.after(this.commitLatencyMs, this, TAG_COMMIT, writeId);
  }

  available(): boolean {
    return true;
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    assert(tag === TAG_COMMIT, `ideal store: unknown tag ${tag}`);
    this.committed++;
    this.listener.onCommitted(data as number, nowMs);
  }
}
