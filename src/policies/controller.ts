/**
 * The one controller pattern. A controller is a pure policy over a read-only view and its OWN
 * explicit state: everything it remembers between calls (expectations, slow-start progress,
 * back-off streaks, stabilization windows, informer-cache facts) lives in `S`, never in whoever
 * runs it. The simulator's ControllerActor (src/sim/actors/controller-actor.ts) and a live
 * adapter run the same object: they deliver watch events to `observe`, call `reconcile` for each
 * dirty key after the controller delay, execute the decisions, and hand every write's answer to
 * `onResult`. Ownership of `state` passes in and out of each call (the runner keeps only what was
 * returned), so an implementation may update the object it received instead of copying it.
 * The ReplicaSet controller (controllers/replicaset.ts) is the example to copy.
 */
import type { ClusterEvent } from "../model/cluster-event.ts";
import type { Decision } from "../model/decision.ts";
import type { Prng } from "../model/prng.ts";
import type { Ms } from "../model/units.ts";
import type { ClusterView } from "../model/view.ts";

/** The api server's answer to one decision (a 409 conflict or a 403 refusal is `ok: false`). */
export interface WriteResult {
  ok: boolean;
  reason?: string;
}

export interface Reconciled<S> {
  state: S;
  decisions: Decision[];
  /** Keys to reconcile again after a delay: a rate-limited retry, or a timer (minReadySeconds…). */
  requeue: { key: string; afterMs: Ms }[];
}

export interface Observed<S> {
  state: S;
  /** Keys the event makes dirty (reconciled after the controller delay, in key order). */
  keys: readonly string[];
}

export interface Controller<S> {
  /** Names the controller in logs and prng forks (`controller/<name>/<key>`). */
  readonly name: string;
  initialState(): S;
  /** Timers the controller needs from the start (a periodic loop's first tick). */
  initialRequeue?(): { key: string; afterMs: Ms }[];
  /** A watch event, seen after the api server applied it. */
  observe(view: ClusterView, state: S, event: ClusterEvent): Observed<S>;
  /** `prng` is the controller's own stream (the same object every call); fork per key into `state` if needed. */
  reconcile(view: ClusterView, state: S, key: string, nowMs: Ms, prng: Prng): Reconciled<S>;
  /** The answer to a decision this controller made (`decision` is the one it returned). */
  onResult(view: ClusterView, state: S, decision: Decision, result: WriteResult, nowMs: Ms, prng: Prng): Reconciled<S>;
}

export function reconciled<S>(state: S, decisions: Decision[] = [], requeue: { key: string; afterMs: Ms }[] = []): Reconciled<S> {
  return { state, decisions, requeue };
}
