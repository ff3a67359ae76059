/**
 * Controller expectations (upstream pkg/controller/controller_utils.go, ControllerExpectations and
 * UIDTrackingControllerExpectations): after issuing creates or deletes for a key, the controller
 * does not act on that key again until it has observed them on its watch (or they failed, or 5
 * minutes passed), so a view that lags its own writes never makes it create or delete twice.
 * Deletions are tracked by pod key, so seeing a pod both start terminating and disappear counts once.
 */
import type { Ms } from "../../model/units.ts";

/** upstream ExpectationsTimeout. */
export const expectationsTimeoutMs = 5 * 60_000;

export interface Expectation {
  adds: number;
  deletes: Set<string>;
  setMs: Ms;
}

export type Expectations = Map<string, Expectation>;

export function expectCreations(all: Expectations, key: string, count: number, nowMs: Ms): void {
  all.set(key, { adds: count, deletes: new Set(), setMs: nowMs });
}

export function expectDeletions(all: Expectations, key: string, podKeys: readonly string[], nowMs: Ms): void {
  all.set(key, { adds: 0, deletes: new Set(podKeys), setMs: nowMs });
}

export function creationObserved(all: Expectations, key: string): void {
  const e = all.get(key);
  if (e !== undefined) e.adds--;
}

export function deletionObserved(all: Expectations, key: string, podKey: string): void {
  all.get(key)?.deletes.delete(podKey);
}

/** SatisfiedExpectations: none recorded, all observed (adds ≤ 0, no deletes left), or expired. */
export function expectationsSatisfied(all: Expectations, key: string, nowMs: Ms): boolean {
  const e = all.get(key);
  if (e === undefined) return true;
  return (e.adds <= 0 && e.deletes.size === 0) || nowMs - e.setMs > expectationsTimeoutMs;
}
