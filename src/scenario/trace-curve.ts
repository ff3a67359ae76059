/**
 * `curve: {type: trace, file: …}` → a step curve: a real trace's request rate over time, read
 * once when the scenario loads. Two shapes of trace:
 *  - `arrivals`: one row per request (e.g. the Azure LLM inference trace, TIMESTAMP per request);
 *    arrivals are counted per `window` and each window's count / its length is the rate;
 *  - `rate`: rows of (time, value) (e.g. the Alibaba GenAI QPS, sampled about every 57 s per
 *    container); rows at the same time are summed (the containers of a service), optionally only
 *    the rows `where` names.
 * Then `skip` cuts the trace's beginning, `scale` multiplies the rate, `shift` places the trace's
 * start in the run, `loop` repeats it to the end of the run, and `envelope` lays a diurnal curve
 * over it (a one-hour trace's bursts, repeated, rising and falling over a day). Before the trace
 * starts, and after it ends without `loop`, the rate is the load's `requestsPerSecond`.
 */
import { parse } from "csv-parse/sync";
import { Result } from "effect";
import type { Ms } from "../model/units.ts";
import { durationMsOf } from "./formats.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export interface TraceCurveDoc {
  readonly type: "trace";
  readonly file: string;
  readonly format?: "arrivals" | "rate";
  readonly timeColumn?: string;
  readonly valueColumn?: string;
  readonly where?: { readonly [column: string]: string };
  readonly window?: string | number;
  readonly scale?: number;
  readonly skip?: string | number;
  readonly shift?: string | number;
  readonly loop?: boolean;
  /** A diurnal envelope over the placed trace: × (1 + amplitude × cos(2π(t − peakAt)/period)). */
  readonly envelope?: { readonly amplitude: number; readonly period?: string | number; readonly peakAt?: string | number };
}

export interface Step {
  atMs: Ms;
  requestsPerSecond: number;
}

/** Steps in a run of `durationMs` take at most this many entries (a 1 s window over a day is 86,400). */
export const traceStepsMax = 200_000;

const windowMsDefault = 60_000;

/** The trace file's text → the steps of the load's rate, in time order, before the end of the run. */
export function traceSteps(text: string, shownPath: string, doc: TraceCurveDoc, site: Site, durationMs: Ms, baseRate: number): Checked<Step[]> {
  return Result.gen(function* () {
    const rows = yield* csvRows(text, shownPath, siteAt(site, "file"));
    if (rows.length === 0) return yield* Result.fail(problemAt(siteAt(site, "file"), `${shownPath} has a header but no rows`));
    const header = Object.keys(rows[0] as Record<string, string>);
    const timeColumn = yield* column(doc.timeColumn ?? header[0], header, shownPath, siteAt(site, doc.timeColumn === undefined ? "file" : "timeColumn"));
    const kept = rows.filter((r) => Object.entries(doc.where ?? {}).every(([k, v]) => r[k] === v));
    if (kept.length === 0) return yield* Result.fail(problemAt(siteAt(site, "where"), `no row of ${shownPath} matches ${JSON.stringify(doc.where)}`));
    for (const k of Object.keys(doc.where ?? {})) yield* column(k, header, shownPath, siteAt(site, "where", k));
    const times: number[] = [];
    for (const [i, r] of kept.entries()) {
      const t = timeMsOf(r[timeColumn] as string);
      if (t === undefined) return yield* Result.fail(problemAt(siteAt(site, "file"), `${shownPath}: row ${i + 2}: ${timeColumn} "${r[timeColumn]}" is not a time (seconds, or YYYY-MM-DD HH:MM:SS[.fraction])`));
      times.push(t);
    }
    const format = doc.format ?? "arrivals";
    const windowMs = doc.window === undefined ? windowMsDefault : (durationMsOf(doc.window) ?? windowMsDefault);
    let trace: Step[];
    if (format === "arrivals") trace = arrivalRates(times, windowMs);
    else {
      const valueColumn = yield* column(doc.valueColumn ?? header[1], header, shownPath, siteAt(site, doc.valueColumn === undefined ? "file" : "valueColumn"));
      const values: number[] = [];
      for (const [i, r] of kept.entries()) {
        const v = Number(r[valueColumn]);
        if (!Number.isFinite(v) || v < 0) return yield* Result.fail(problemAt(siteAt(site, "file"), `${shownPath}: row ${i + 2}: ${valueColumn} "${r[valueColumn]}" is not a rate (a number ≥ 0)`));
        values.push(v);
      }
      trace = sampledRates(times, values);
    }
    const skipMs = doc.skip === undefined ? 0 : (durationMsOf(doc.skip) ?? 0);
    const spanMs = spanOf(trace, format === "arrivals" ? windowMs : medianGapMs(trace));
    if (skipMs >= spanMs) return yield* Result.fail(problemAt(siteAt(site, "skip"), `skips all of the trace (${Math.round(spanMs / 1000)} s long)`));
    const scale = doc.scale ?? 1;
    const shiftMs = doc.shift === undefined ? 0 : (durationMsOf(doc.shift) ?? 0);
    if (shiftMs >= durationMs) return yield* Result.fail(problemAt(siteAt(site, "shift"), "expected a shift before the end of the run"));
    const placed = withEnvelope(placeSteps(trace, skipMs, spanMs, scale, shiftMs, doc.loop === true, durationMs, baseRate), doc.envelope, shiftMs, spanMs - skipMs, doc.loop === true);
    if (placed.length > traceStepsMax) return yield* Result.fail(problemAt(siteAt(site, "window"), `the trace gives ${placed.length} steps over the run, more than ${traceStepsMax}: use a longer window`));
    return placed;
  });
}

function csvRows(text: string, shownPath: string, site: Site): Checked<Record<string, string>[]> {
  try {
    return Result.succeed(parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[]);
  } catch (e) {
    return Result.fail(problemAt(site, `${shownPath} is not CSV with a header row: ${(e as Error).message}`));
  }
}

function column(name: string | undefined, header: readonly string[], shownPath: string, site: Site): Checked<string> {
  if (name !== undefined && header.includes(name)) return Result.succeed(name);
  return Result.fail(problemAt(site, `${shownPath} has no column ${JSON.stringify(name ?? "")} (columns: ${header.join(", ")})`));
}

const civil = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z?$/;

/** Seconds (a number), or a UTC date-time with any number of fraction digits, as ms (fractions of a ms kept). */
export function timeMsOf(text: string): number | undefined {
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return Number(text) * 1000;
  const m = civil.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m.map((x) => x ?? "") as string[];
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return Number.isFinite(ms) ? ms + (frac === "" ? 0 : Number(`0.${frac}`) * 1000) : undefined;
}

/** Arrivals per window (from the first arrival) as requests per second, every window to the last arrival's. */
function arrivalRates(times: readonly number[], windowMs: Ms): Step[] {
  const sorted = [...times].sort((a, b) => a - b);
  const t0 = sorted[0] as number;
  const counts = new Array<number>(Math.floor(((sorted.at(-1) as number) - t0) / windowMs) + 1).fill(0);
  for (const t of sorted) counts[Math.floor((t - t0) / windowMs)] = (counts[Math.floor((t - t0) / windowMs)] as number) + 1;
  return counts.map((n, i) => ({ atMs: i * windowMs, requestsPerSecond: n / (windowMs / 1000) }));
}

/** Values at the same time summed, in time order, times from the first sample. */
function sampledRates(times: readonly number[], values: readonly number[]): Step[] {
  const byTime = new Map<number, number>();
  times.forEach((t, i) => byTime.set(t, (byTime.get(t) ?? 0) + (values[i] as number)));
  const sorted = [...byTime.keys()].sort((a, b) => a - b);
  const t0 = sorted[0] as number;
  return sorted.map((t) => ({ atMs: Math.round(t - t0), requestsPerSecond: byTime.get(t) as number }));
}

function medianGapMs(steps: readonly Step[]): Ms {
  const gaps = steps.slice(1).map((s, i) => s.atMs - (steps[i] as Step).atMs).sort((a, b) => a - b);
  return gaps.length === 0 ? windowMsDefault : (gaps[gaps.length >> 1] as number);
}

/** From the trace's start to the end of its last step (the last step lasts one window, or the median sample gap). */
function spanOf(steps: readonly Step[], lastLengthMs: Ms): Ms {
  return (steps.at(-1) as Step).atMs + lastLengthMs;
}

/** The trace after `skipMs`, scaled, from `shiftMs` on (repeated every span when looping), cut at the end of the run. */
function placeSteps(trace: readonly Step[], skipMs: Ms, spanMs: Ms, scale: number, shiftMs: Ms, loop: boolean, durationMs: Ms, baseRate: number): Step[] {
  // the rate in force at skipMs starts the skipped trace
  const first = trace.findLastIndex((s) => s.atMs <= skipMs);
  const once = trace.slice(Math.max(first, 0)).map((s, i) => ({ atMs: i === 0 ? 0 : s.atMs - skipMs, requestsPerSecond: s.requestsPerSecond * scale }));
  const lengthMs = spanMs - skipMs;
  const out: Step[] = [];
  for (let startMs = shiftMs; startMs < durationMs; startMs += lengthMs) {
    for (const s of once) if (startMs + s.atMs < durationMs) out.push({ atMs: startMs + s.atMs, requestsPerSecond: s.requestsPerSecond });
    if (!loop) break;
  }
  const endMs = shiftMs + lengthMs;
  if (!loop && endMs < durationMs) out.push({ atMs: endMs, requestsPerSecond: baseRate });
  return out;
}

const dayMs = 86_400_000;

/** Each step of the trace's own (placed, not the base rate's) stretch × the envelope at its time. */
function withEnvelope(steps: Step[], envelope: TraceCurveDoc["envelope"], shiftMs: Ms, lengthMs: Ms, loop: boolean): Step[] {
  if (envelope === undefined) return steps;
  const periodMs = envelope.period === undefined ? dayMs : (durationMsOf(envelope.period) ?? dayMs);
  const peakAtMs = envelope.peakAt === undefined ? 0 : (durationMsOf(envelope.peakAt) ?? 0);
  const endMs = loop ? Number.POSITIVE_INFINITY : shiftMs + lengthMs;
  return steps.map((s) =>
    s.atMs < endMs ? { atMs: s.atMs, requestsPerSecond: Math.max(0, s.requestsPerSecond * (1 + envelope.amplitude * Math.cos((2 * Math.PI * (s.atMs - peakAtMs)) / periodMs))) } : s,
  );
}
