/**
 * `spec.load[]` as a user writes it: traffic to a Service, a rate curve, noise and the CPU cost
 * of a request. Kept beside scenario-schema.ts, which includes it as `spec.load`.
 *
 *   load:
 *     - service: frontend            # a Service of the scenario (namespace "default" unless given)
 *       requestsPerSecond: 50
 *       curve: { type: spike, at: 10m, duration: 10m, factor: 10 }
 *       noise: poisson               # or none (the default)
 *       cpuPerRequest: 10m           # CPU time per request (10m = 10 ms of one core)
 *       baseCpu: 5m                  # CPU a running pod uses with no traffic
 *       balancing: leastRequest      # or roundRobin (the default)
 *       concurrency: 8               # per-pod queueing: parallel requests,
 *       queueLimit: 100              #   requests waiting at most (beyond: dropped),
 *       serviceTime: 50ms            #   time in service (default: the CPU time on one core)
 */
import { Schema } from "effect";
import { Count, Duration, PositiveCount, PositiveDuration, Quantity } from "./formats.ts";

const opt = Schema.optionalKey;
const Rate = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0));

const CurveSchema = Schema.Union([
  Schema.Struct({ type: Schema.Literal("constant") }),
  Schema.Struct({ type: Schema.Literal("step"), steps: Schema.NonEmptyArray(Schema.Struct({ at: Duration, requestsPerSecond: Rate })) }),
  Schema.Struct({ type: Schema.Literal("spike"), at: Duration, duration: PositiveDuration, factor: Rate }),
  Schema.Struct({
    type: Schema.Literal("trace"),
    /** A CSV file with a header row, relative to the scenario file (trace-curve.ts). */
    file: Schema.NonEmptyString,
    format: opt(Schema.Literals(["arrivals", "rate"])),
    timeColumn: opt(Schema.NonEmptyString),
    valueColumn: opt(Schema.NonEmptyString),
    where: opt(Schema.Record(Schema.String, Schema.String)),
    window: opt(PositiveDuration),
    scale: opt(Rate),
    skip: opt(Duration),
    shift: opt(Duration),
    loop: opt(Schema.Boolean),
    envelope: opt(
      Schema.Struct({
        amplitude: Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 })),
        period: opt(PositiveDuration),
        peakAt: opt(Duration),
      }),
    ),
  }),
  Schema.Struct({
    type: Schema.Literal("diurnal"),
    amplitude: Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 })),
    period: opt(PositiveDuration),
    peakAt: opt(Duration),
  }),
]);

export const LoadSchema = Schema.Struct({
  service: Schema.NonEmptyString,
  namespace: opt(Schema.NonEmptyString),
  requestsPerSecond: Rate,
  curve: opt(CurveSchema),
  noise: opt(Schema.Literals(["none", "poisson"])),
  cpuPerRequest: Quantity,
  baseCpu: opt(Quantity),
  /** roundRobin (kube-proxy, the default) or leastRequest (an Envoy-style proxy). */
  balancing: opt(Schema.Literals(["roundRobin", "leastRequest"])),
  /** Per-pod queueing: any of these turns it on (src/sim/load/queueing.ts). */
  concurrency: opt(PositiveCount),
  queueLimit: opt(Count),
  serviceTime: opt(PositiveDuration),
});

export type LoadDoc = typeof LoadSchema.Type;
