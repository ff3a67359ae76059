/**
 * The prober's state machine (probe-schedule.ts) against upstream worker.go's rules: ticks every
 * period from the start, none before initialDelaySeconds, results change only after
 * failureThreshold / successThreshold consecutive probes, startup gates liveness and readiness,
 * and a brute-force twin that probes tick by tick agrees on random cases.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { defaultProbe } from "../../../src/model/objects.ts";
import { livenessKillMs, probeOutcome, probeRuns, probeTimingOf, readinessChanges, startupResult, type FailingWindow, type ProbeTiming } from "../../../src/sim/kubelet/probe-schedule.ts";

const d = probeTimingOf(defaultProbe); // period 10 s, failureThreshold 3, successThreshold 1

describe("probe runs", () => {
  test("ticks every period from the start; initialDelay skips the ticks before it", () => {
    expect(probeRuns(d, 0, [{ fromMs: 0, toMs: 25_000 }])).toEqual([
      { pass: false, firstMs: 0, count: 3 }, // 0, 10, 20
      { pass: true, firstMs: 30_000, count: Infinity },
    ]);
    expect(probeRuns({ ...d, initialDelayMs: 15_000 }, 0, [{ fromMs: 0, toMs: 25_000 }])).toEqual([
      { pass: false, firstMs: 20_000, count: 1 },
      { pass: true, firstMs: 30_000, count: Infinity },
    ]);
  });

  test("two windows with no tick between them are one run of failures", () => {
    expect(probeRuns(d, 0, [{ fromMs: 0, toMs: 12_000 }, { fromMs: 15_000, toMs: 35_000 }])).toEqual([
      { pass: false, firstMs: 0, count: 4 },
      { pass: true, firstMs: 40_000, count: Infinity },
    ]);
  });
});

describe("startup probe", () => {
  test("Started at the first passing tick; killed at the failureThreshold-th failing one", () => {
    expect(startupResult(d, [{ fromMs: 0, toMs: 15_000 }])).toEqual({ startedMs: 20_000 }); // fails at 0, 10
    expect(startupResult(d, [{ fromMs: 0, toMs: 21_000 }])).toEqual({ killMs: 20_000 }); // 0, 10, 20 fail
    // An app that never answers: failures at 0, 10, 20 → killed at 20 s.
    expect(startupResult(d, [{ fromMs: 0, toMs: Infinity }])).toEqual({ killMs: 20_000 });
    // failureThreshold 30 × period 10 s: a slow starter gets 290 s.
    expect(startupResult({ ...d, failureThreshold: 30 }, [{ fromMs: 0, toMs: 250_000 }])).toEqual({ startedMs: 250_000 });
    expect(startupResult({ ...d, failureThreshold: 30 }, [{ fromMs: 0, toMs: 300_000 }])).toEqual({ killMs: 290_000 });
  });
});

describe("liveness probe", () => {
  test("killed at the failureThreshold-th consecutive failure; a shorter blip is harmless", () => {
    expect(livenessKillMs(d, 0, [{ fromMs: 61_000, toMs: Infinity }])).toBe(90_000);
    expect(livenessKillMs(d, 0, [{ fromMs: 61_000, toMs: 90_000 }])).toBeUndefined();
    // Probes skipped until Started (the startup probe passed at 40 s): no kill from the slow start.
    expect(livenessKillMs(d, 40_000, [{ fromMs: 0, toMs: 35_000 }])).toBeUndefined();
    expect(livenessKillMs(d, 0, [{ fromMs: 0, toMs: 35_000 }])).toBe(20_000);
  });
});

describe("readiness probe", () => {
  test("not Ready until successThreshold passing ticks, off after failureThreshold failures, on again", () => {
    expect(readinessChanges(d, 0, [{ fromMs: 0, toMs: 5_000 }, { fromMs: 61_000, toMs: 125_000 }])).toEqual([
      { atMs: 10_000, ready: true },
      { atMs: 90_000, ready: false },
      { atMs: 130_000, ready: true },
    ]);
    expect(readinessChanges({ ...d, successThreshold: 2 }, 0, [{ fromMs: 0, toMs: 5_000 }])).toEqual([{ atMs: 20_000, ready: true }]);
  });
});

describe("probe outcome", () => {
  test("a startup probe gates readiness and liveness; the app that never answers is killed by it", () => {
    const probes = { startup: { ...d, failureThreshold: 6 }, liveness: d, readiness: { ...d, periodMs: 5_000 } };
    expect(probeOutcome(probes, { answersFromMs: 42_000 })).toEqual({ startedMs: 50_000, readiness: [{ atMs: 50_000, ready: true }] });
    expect(probeOutcome(probes, { answersFromMs: Infinity })).toEqual({ readiness: [], kill: { atMs: 50_000, probe: "startup" } });
  });

  test("without a startup probe, a slow app fails liveness and is killed before it is Ready", () => {
    expect(probeOutcome({ liveness: d, readiness: d }, { answersFromMs: 45_000 })).toEqual({ startedMs: 0, readiness: [], kill: { atMs: 20_000, probe: "liveness" } });
  });

  test("a liveness failure kills; Ready flips after the kill are cut", () => {
    const o = probeOutcome({ liveness: d, readiness: d }, { answersFromMs: 0, livenessFailing: { fromMs: 100_000, toMs: Infinity } });
    expect(o.kill).toEqual({ atMs: 120_000, probe: "liveness" });
    expect(o.readiness).toEqual([{ atMs: 0, ready: true }]);
  });
});

/** The naive twin: probe tick by tick as worker.go does. */
function naive(t: ProbeTiming, fromMs: number, failing: FailingWindow[], horizonMs: number): { pass: boolean; atMs: number }[] {
  const out: { pass: boolean; atMs: number }[] = [];
  for (let at = 0; at < horizonMs; at += t.periodMs) {
    if (at < t.initialDelayMs || at < fromMs) continue;
    out.push({ pass: !failing.some((w) => at >= w.fromMs && at < w.toMs), atMs: at });
  }
  return out;
}

function naiveReadiness(t: ProbeTiming, ticks: { pass: boolean; atMs: number }[]) {
  const out: { atMs: number; ready: boolean }[] = [];
  let ready = false;
  let last: boolean | undefined;
  let run = 0;
  for (const tick of ticks) {
    run = tick.pass === last ? run + 1 : 1;
    last = tick.pass;
    if (tick.pass !== ready && run >= (tick.pass ? t.successThreshold : t.failureThreshold)) {
      ready = tick.pass;
      out.push({ atMs: tick.atMs, ready });
    }
  }
  return out;
}

test("run-by-run readiness and liveness agree with probing every tick", () => {
  const timing = fc.record({
    initialDelayMs: fc.integer({ min: 0, max: 30 }).map((s) => s * 1000),
    periodMs: fc.integer({ min: 1, max: 15 }).map((s) => s * 1000),
    failureThreshold: fc.integer({ min: 1, max: 5 }),
    successThreshold: fc.integer({ min: 1, max: 3 }),
  });
  const window = fc.tuple(fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 0, max: 200_000 })).map(([from, len]): FailingWindow => ({ fromMs: from, toMs: from + len }));
  fc.assert(
    fc.property(timing, fc.array(window, { maxLength: 3 }), fc.integer({ min: 0, max: 60_000 }), (t, windows, startedMs) => {
      const horizonMs = 2_000_000; // every window ends by 500 s: the rest passes
      const ticks = naive(t, startedMs, windows, horizonMs);
      expect(readinessChanges(t, startedMs, windows)).toEqual(naiveReadiness(t, ticks));
      let run = 0;
      let kill: number | undefined;
      for (const tick of ticks) {
        run = tick.pass ? 0 : run + 1;
        if (run >= t.failureThreshold) {
          kill = tick.atMs;
          break;
        }
      }
      expect(livenessKillMs(t, startedMs, windows)).toBe(kill);
    }),
    { numRuns: 300 },
  );
});
