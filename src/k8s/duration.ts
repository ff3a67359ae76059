/**
 * Go-style durations (metav1.Duration: "30s", "5m", "1h30m", "250ms") ↔ integer milliseconds.
 * Converted here and only here (the parser itself is model/units.ts's exact one). The bare number 0
 * is also a duration (zero), as YAML writes it.
 */
import { Schema } from "effect";
import { durationTooLarge, formatDurationMs, parseDurationMs } from "../model/units.ts";
import type { Ms } from "../model/units.ts";

export const durationExpected = 'expected a duration like "30s", "5m" or "1h30m"';

/** "30s" → 30000; 0 → 0; undefined when malformed. */
export function durationMsOf(value: string | number): Ms | undefined {
  if (typeof value === "number") return value === 0 ? 0 : undefined;
  return parseDurationMs(value);
}

const Text = Schema.Union([Schema.String, Schema.Number]).annotate({ expected: 'a duration like "30s"' });

/** A duration's text, checked to convert. */
export const Duration = Text.check(
  Schema.makeFilter((v: string | number) => {
    if (durationMsOf(v) !== undefined) return true;
    return typeof v === "string" && durationTooLarge(v) ? `too large: expected a duration of at most ${formatDurationMs(Number.MAX_SAFE_INTEGER)}` : durationExpected;
  }),
);

/** A duration longer than zero (the first check has already seen it convert). */
export const PositiveDuration = Duration.check(
  Schema.makeFilter((v: string | number) => (durationMsOf(v) as Ms) > 0 || `${durationExpected}, longer than zero`),
);
