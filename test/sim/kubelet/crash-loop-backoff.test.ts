/**
 * CrashLoopBackOff against upstream: the constants and the client-go Backoff vectors of
 * test/fixtures/vectors/timings.json (copied unchanged from the team's shared vectors, each case
 * naming its upstream test), and the property that a crashing container's waits are 0, then
 * 10·2^k s capped at 300 s, starting over after a run of more than 10 minutes.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  defaultBackOffCurve, initialCrashLoopBackOffMs, maxCrashLoopBackOffMs, nextBackOff, restartDelayMs, type BackOffCurve, type BackOffEntry,
} from "../../../src/sim/kubelet/crash-loop-backoff.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
const timings = JSON.parse(readFileSync(new URL("../../fixtures/vectors/timings.json", import.meta.url), "utf8")) as any;
const constant = (name: string) => (timings.constants as any[]).find((c) => c.name === name).value as number;
const vector = (id: string) => (timings.vectors as any[]).find((v) => v.id === id);

test("initial 10 s and max 300 s are upstream's (kubelet.go initialCrashLoopBackOff, MaxContainerBackOff)", () => {
  expect(initialCrashLoopBackOffMs).toBe(constant("initialCrashLoopBackOff") * 1000);
  expect(maxCrashLoopBackOffMs).toBe(constant("MaxCrashLoopBackOff (MaxContainerBackOff)") * 1000);
});

describe("client-go flowcontrol Backoff vectors (restartDelayMs is Get-if-in-back-off, nextBackOff is Next)", () => {
  const curveOf = (v: any): BackOffCurve => ({ initialMs: v.input.initialSeconds * 1000, maxMs: v.input.maxSeconds * 1000 });
  /** `n` times: advance the clock 1 s, Next. */
  const advanceAndNext = (curve: BackOffCurve, n: number) => {
    let entry: BackOffEntry | undefined;
    let t = 0;
    for (let i = 0; i < n; i++) {
      t += 1000;
      entry = nextBackOff(entry, t, t, curve);
    }
    return { entry: entry as BackOffEntry, t };
  };

  test("backoff-slow: 0, 1, 2, 4, … capped at 50", () => {
    const v = vector("backoff-slow");
    const curve = curveOf(v);
    const got: number[] = [];
    let entry: BackOffEntry | undefined;
    for (let t = 1000; t <= 10_000; t += 1000) {
      got.push((entry?.backOffMs ?? 0) / 1000);
      entry = nextBackOff(entry, t, t, curve);
    }
    expect(got).toEqual(v.expected.getBeforeEachNextSeconds);
  });

  test("backoff-reset-after-2x-max: in back-off right after, not once 2·max + 1 s passed since the last update", () => {
    const v = vector("backoff-reset-after-2x-max");
    const curve = curveOf(v);
    const { entry, t } = advanceAndNext(curve, 6);
    expect(restartDelayMs(entry, t, curve) > 0).toBe(v.expected.inBackOffRightAfterLastNext);
    expect(restartDelayMs(entry, t + 2 * curve.maxMs + 1000, curve) > 0).toBe(v.expected.inBackOffSinceLastUpdateAfter11s);
  });

  test("backoff-high-water-mark: max + 1 s later the entry has not expired and Next stays at max", () => {
    const v = vector("backoff-high-water-mark");
    const curve = curveOf(v);
    const { entry, t } = advanceAndNext(curve, 6);
    const later = t + curve.maxMs + 1000;
    expect(nextBackOff(entry, later, later, curve).backOffMs).toBe(v.expected.getSeconds * 1000);
  });
});

describe("property: the waits between a container's exits and restarts", () => {
  /** The run lengths of successive containers (exit after each). */
  const runs = fc.array(fc.integer({ min: 0, max: 15 * 60_000 }), { minLength: 1, maxLength: 30 });

  test("are 0 at first and after a run longer than 10 minutes, else 10·2^k s capped at 300 s", () => {
    fc.assert(
      fc.property(runs, (lengths) => {
        let entry: BackOffEntry | undefined;
        let startMs = 0;
        let k = -1; // restarts since the last reset, minus one
        for (const runMs of lengths) {
          const finishedMs = startMs + runMs;
          const waitMs = restartDelayMs(entry, finishedMs);
          const reset = entry === undefined || runMs > 2 * defaultBackOffCurve.maxMs;
          k = reset ? 0 : k + 1;
          expect(waitMs).toBe(reset ? 0 : Math.min(10_000 * 2 ** (k - 1), 300_000));
          startMs = finishedMs + waitMs;
          entry = nextBackOff(entry, finishedMs, startMs);
          expect(entry.backOffMs).toBe(Math.min(10_000 * 2 ** k, 300_000));
        }
      }),
    );
  });
});
