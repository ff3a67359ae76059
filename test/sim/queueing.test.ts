/**
 * The per-pod queue of one load slice (src/sim/load/queueing.ts): capacity from concurrency and
 * CPU, the steady M/M/c regime, saturation against a queue limit, a backlog carried between
 * slices; least-request water-filling; and the latency histogram's percentiles. A property test
 * checks conservation (admitted + dropped = arrived, backlog never past the limit) and that no
 * latency is below the service time.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { erlangC, podCapacity, queueSlice } from "../../src/sim/load/queueing.ts";
import { leastRequestShares } from "../../src/sim/load/least-request.ts";
import { LatencyHistogram } from "../../src/sim/load/latency-histogram.ts";

const sliceS = 5;

describe("capacity", () => {
  test("CPU-bound: a 10 ms request with 980m available completes 98 per second on one server", () => {
    const c = podCapacity(Number.POSITIVE_INFINITY, 0.01, 10, 980);
    expect(c.capacityPerS).toBeCloseTo(98, 9);
    expect(c.servers).toBe(1);
    expect(c.serviceTimeS).toBeCloseTo(1 / 98, 9); // slowed: not quite a core for the request
  });

  test("slot-bound: 4 requests of 50 ms in parallel complete 80 per second at full speed", () => {
    const c = podCapacity(4, 0.05, 10, 1000);
    expect(c.capacityPerS).toBeCloseTo(80, 9);
    expect(c.servers).toBe(4);
    expect(c.serviceTimeS).toBeCloseTo(0.05, 9);
  });

  test("no CPU limit and no concurrency: nothing bounds it", () => {
    expect(podCapacity(Number.POSITIVE_INFINITY, 0.01, 10, Number.POSITIVE_INFINITY).capacityPerS).toBe(Number.POSITIVE_INFINITY);
  });

  test("Erlang C: one server waits with probability ρ; the textbook 2-server value; saturation always waits", () => {
    expect(erlangC(1, 0.6)).toBeCloseTo(0.6, 12);
    // M/M/2 at a = 1 (ρ = 0.5): C = a²/(2!(1−ρ)) / (1 + a + a²/(2!(1−ρ))) = 1/3
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(3, 3)).toBe(1);
    expect(erlangC(3, 0)).toBe(0);
  });
});

describe("one slice", () => {
  const cap = podCapacity(4, 0.05, 10, 1000); // 80 requests/s

  test("stable: everything admitted and completed, no backlog, the steady waits of M/M/4", () => {
    const q = queueSlice(0, 200, cap, 100, sliceS); // 40/s, ρ = 0.5
    expect(q.admitted).toBe(200);
    expect(q.droppedSaturated).toBe(0);
    expect(q.backlogEnd).toBe(0);
    expect(q.completed).toBe(200);
    expect(q.spans).toEqual([]);
    expect(q.steady?.requests).toBeCloseTo(200, 9);
    expect(q.steady?.waitProbability).toBeCloseTo(erlangC(4, 2), 12);
    expect(q.steady?.waitRatePerS).toBeCloseTo(40, 9); // cμ − λ
  });

  test("saturated without a limit: the queue grows at λ − μ and is carried", () => {
    const q = queueSlice(0, 600, cap, Number.POSITIVE_INFINITY, sliceS); // 120/s against 80/s
    expect(q.droppedSaturated).toBe(0);
    expect(q.backlogEnd).toBeCloseTo(200, 9);
    expect(q.completed).toBeCloseTo(400, 9);
    expect(q.spans).toHaveLength(1);
    expect(q.spans[0]?.waitFromS).toBe(0);
    expect(q.spans[0]?.waitToS).toBeCloseTo(200 / 80, 9);
  });

  test("queue limit: the queue fills to it, then what arrives beyond capacity is dropped", () => {
    const q = queueSlice(0, 600, cap, 100, sliceS); // fills 100 in 2.5 s, then drops 40/s for 2.5 s
    expect(q.backlogEnd).toBeCloseTo(100, 9);
    expect(q.droppedSaturated).toBeCloseTo(100, 9);
    expect(q.admitted).toBeCloseTo(500, 9);
    expect(q.spans.map((s) => s.requests)).toEqual([300, 200].map((x) => expect.closeTo(x, 9) as unknown as number));
    expect(q.spans[1]?.waitFromS).toBeCloseTo(100 / 80, 9);
    const none = queueSlice(0, 600, cap, 0, sliceS);
    expect(none.droppedSaturated).toBeCloseTo(200, 9);
    expect(none.backlogEnd).toBe(0);
  });

  test("a carried backlog drains at μ − λ; arrivals wait less as it drains, then the queue is steady", () => {
    const q = queueSlice(100, 200, cap, 1000, sliceS); // 40/s in, drains 40/s: empty after 2.5 s
    expect(q.backlogEnd).toBe(0);
    expect(q.completed).toBeCloseTo(300, 9);
    expect(q.spans[0]?.requests).toBeCloseTo(100, 9);
    expect(q.spans[0]?.waitFromS).toBeCloseTo(100 / 80, 9);
    expect(q.spans[0]?.waitToS).toBeCloseTo(0, 9);
    expect(q.steady?.requests).toBeCloseTo(100, 9);
    const slow = queueSlice(400, 200, cap, 1000, sliceS); // still 200 left at the end
    expect(slow.backlogEnd).toBeCloseTo(200, 9);
    expect(slow.steady).toBeUndefined();
  });

  test("property: admitted + dropped = arrived, completed = backlog + admitted − backlog left, the limit holds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 0, max: 500 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 4000 }),
        (backlogWanted, arrived, concurrency, limit, serviceS, availableMilli) => {
          const capacity = podCapacity(concurrency, serviceS, 10, availableMilli);
          const backlog = Math.min(backlogWanted, limit);
          const q = queueSlice(backlog, arrived, capacity, limit, sliceS);
          expect(q.admitted + q.droppedSaturated).toBeCloseTo(arrived, 6);
          expect(q.droppedSaturated).toBeGreaterThanOrEqual(0);
          expect(q.backlogEnd).toBeLessThanOrEqual(limit + 1e-9);
          expect(q.completed).toBeCloseTo(backlog + q.admitted - q.backlogEnd, 6);
          expect(q.completed).toBeLessThanOrEqual(capacity.capacityPerS * sliceS + 1e-6);
          const spanned = q.spans.reduce((t, s) => t + s.requests, 0) + (q.steady?.requests ?? 0);
          expect(spanned).toBeCloseTo(q.admitted, 6);
          // Latency ≥ service time: the histogram's p50..p99 are never below it.
          const h = new LatencyHistogram();
          for (const s of q.spans) h.addSpan(capacity.serviceTimeS, s);
          if (q.steady !== undefined) h.addSteady(capacity.serviceTimeS, q.steady);
          if (h.requests > 0) {
            const p = h.percentiles();
            expect(p.p50Ms).toBeGreaterThanOrEqual(1000 * capacity.serviceTimeS);
            expect(p.p95Ms).toBeGreaterThanOrEqual(p.p50Ms);
            expect(p.p99Ms).toBeGreaterThanOrEqual(p.p95Ms);
          }
        },
      ),
      { seed: 14, numRuns: 300 },
    );
  });
});

describe("least request", () => {
  const none = [0, 0, 0];
  test("identical pods with no backlog split evenly; a backlogged pod gets nothing until the others would queue as much", () => {
    expect(leastRequestShares(300, none, [190, 190, 190])).toEqual([100, 100, 100]);
    // Old pods hold 200 and complete 190 in the slice (10 left); new pods have 190 to spare: they take 200 each first.
    const shares = leastRequestShares(1500, [200, 200, 0, 0], [190, 190, 190, 190]);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1500, 9);
    expect(shares[2]! - shares[0]!).toBeCloseTo(200, 9);
    expect(leastRequestShares(100, [200, 0], [190, 190])).toEqual([0, 100]);
  });

  test("unbounded pods take everything, evenly; the shares always sum to the requests", () => {
    expect(leastRequestShares(90, [5, 0, 0], [10, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY])).toEqual([0, 45, 45]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 500 })), { minLength: 1, maxLength: 12 }), (requests, pods) => {
        const shares = leastRequestShares(requests, pods.map((p) => p[0]), pods.map((p) => p[1]));
        expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(requests, 6);
        for (const x of shares) expect(x).toBeGreaterThanOrEqual(0);
      }),
      { seed: 14, numRuns: 200 },
    );
  });
});

describe("latency histogram", () => {
  test("percentiles of an even spread and of an exponential tail, within the 5% bucket width", () => {
    const h = new LatencyHistogram();
    h.addSpan(0.01, { requests: 1000, waitFromS: 0, waitToS: 1 }); // 10 ms .. 1010 ms evenly
    const p = h.percentiles();
    expect(p.p50Ms).toBeGreaterThanOrEqual(510);
    expect(p.p50Ms).toBeLessThanOrEqual(510 * 1.06);
    expect(p.p95Ms).toBeGreaterThanOrEqual(960);
    expect(p.p95Ms).toBeLessThanOrEqual(960 * 1.06);
    const t = new LatencyHistogram();
    // Half wait, each Exp(10/s): p95 of the wait = ln(0.5/0.05)/10 s = 230 ms, plus 20 ms of service.
    t.addSteady(0.02, { requests: 10_000, waitProbability: 0.5, waitRatePerS: 10 });
    const q = t.percentiles();
    expect(q.p50Ms).toBeLessThanOrEqual(20 * 1.06);
    const p95 = 20 + (1000 * Math.log(10)) / 10;
    expect(q.p95Ms).toBeGreaterThanOrEqual(p95);
    expect(q.p95Ms).toBeLessThanOrEqual(p95 * 1.06);
    expect(t.requests).toBeCloseTo(10_000, 6);
  });
});
