/**
 * metrics.k8s.io/v1beta1 PodMetrics ↔ the model's PodMetrics (what metrics-server serves):
 * timestamp, window (a Go duration, "15s") and each container's usage (cpu millicores, bytes).
 */
import { Schema, SchemaGetter } from "effect";
import type { PodMetrics } from "../model/autoscaling-objects.ts";
import { modelOf } from "./codec.ts";
import { Duration, durationMsOf } from "./duration.ts";
import { opt } from "./fields.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { ResourceList } from "./quantity.ts";
import { Timestamp } from "./time.ts";
import { formatDurationMs } from "../model/units.ts";

const PodMetricsWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("metrics.k8s.io/v1beta1")),
  kind: opt(Schema.Literal("PodMetrics")),
  metadata: NamespacedMeta,
  timestamp: Timestamp,
  window: Duration,
  containers: Schema.Array(Schema.Struct({ name: Schema.NonEmptyString, usage: ResourceList })),
});

type PodMetricsWire = typeof PodMetricsWire.Type;

export const PodMetricsCodec = PodMetricsWire.pipe(
  Schema.decodeTo(modelOf<PodMetrics>("a PodMetrics", "PodMetrics"), {
    decode: SchemaGetter.transform((w: PodMetricsWire): PodMetrics => ({
      kind: "PodMetrics",
      metadata: w.metadata,
      timestampMs: w.timestamp,
      windowMs: durationMsOf(w.window) ?? 0,
      containers: w.containers.map((c) => ({ name: c.name, usage: { ...c.usage } })),
    })),
    encode: SchemaGetter.transform((m: PodMetrics): PodMetricsWire => ({
      apiVersion: "metrics.k8s.io/v1beta1",
      kind: "PodMetrics",
      metadata: m.metadata,
      timestamp: m.timestampMs,
      window: formatDurationMs(m.windowMs),
      containers: m.containers,
    })),
  }),
);
