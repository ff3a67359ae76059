/**
 * CronJob schedules as upstream reads them (github.com/robfig/cron/v3 ParseStandard, as
 * pkg/controller/cronjob calls it): five fields — minute, hour, day of month, month, day of week —
 * each `*`, `?`, a value, a range `a-b`, a step over all values (star, slash, n), `a/n` (a to the maximum), `a-b/n`, or a
 * comma list of those; month and weekday names (JAN…DEC, SUN…SAT, any case); descriptors
 * @yearly/@annually, @monthly, @weekly, @daily/@midnight, @hourly and @every <duration>. As
 * robfig's SpecSchedule.Next: when day of month or day of week is unrestricted (`*` or `?`)
 * both must match, otherwise either may; the search gives up after five years. Evaluated in UTC,
 * on virtual time (ms since the epoch), without Date.
 */
import { civilFromDays, daysFromCivil, msPerDay } from "./civil-time.ts";
import type { Ms } from "./units.ts";

export type CronSchedule =
  | { kind: "spec"; minutes: boolean[]; hours: boolean[]; doms: boolean[]; months: boolean[]; dows: boolean[]; domStar: boolean; dowStar: boolean }
  | { kind: "every"; delayMs: Ms };

interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const monthNames: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const dowNames: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const fieldBounds: readonly Bounds[] = [{ min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: monthNames }, { min: 0, max: 6, names: dowNames }];

const descriptors: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export type Parsed = { ok: true; schedule: CronSchedule } | { ok: false; error: string };

/** cron.ParseStandard, with robfig's error messages. */
export function parseSchedule(text: string): Parsed {
  const spec = text.trim();
  if (spec.length === 0) return { ok: false, error: "empty spec string" };
  if (spec.startsWith("@")) return parseDescriptor(spec);
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) return { ok: false, error: `expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]` };
  const sets: boolean[][] = [];
  const stars: boolean[] = [];
  for (const [i, field] of fields.entries()) {
    const r = parseField(field, fieldBounds[i] as Bounds);
    if ("error" in r) return { ok: false, error: r.error };
    sets.push(r.set);
    stars.push(r.star);
  }
  const [minutes, hours, doms, months, dows] = sets as [boolean[], boolean[], boolean[], boolean[], boolean[]];
  return { ok: true, schedule: { kind: "spec", minutes, hours, doms, months, dows, domStar: stars[2] === true, dowStar: stars[4] === true } };
}

function parseDescriptor(spec: string): Parsed {
  const fixed = descriptors[spec];
  if (fixed !== undefined) return parseSchedule(fixed);
  if (spec.startsWith("@every ")) {
    const ms = goDurationMs(spec.slice("@every ".length).trim());
    if (ms === undefined) return { ok: false, error: `failed to parse duration ${spec}` };
    // cron.Every: at least a second, rounded down to whole seconds.
    return { ok: true, schedule: { kind: "every", delayMs: Math.max(1000, ms - (ms % 1000)) } };
  }
  return { ok: false, error: `unrecognized descriptor: ${spec}` };
}

/** A Go duration ("1h30m", "90s", "1.5h") → ms; undefined when malformed or not positive. */
function goDurationMs(text: string): Ms | undefined {
  const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (unitMs[m[2] as string] as number);
    matched = re.lastIndex;
  }
  if (matched !== text.length || text.length === 0) return undefined;
  return Math.floor(total);
}

function parseField(field: string, bounds: Bounds): { set: boolean[]; star: boolean } | { error: string } {
  const set: boolean[] = new Array<boolean>(bounds.max + 1).fill(false);
  let star = false;
  for (const expr of field.split(",")) {
    const r = parseRange(expr, bounds);
    if ("error" in r) return r;
    for (let v = r.start; v <= r.end; v += r.step) set[v] = true;
    star ||= r.star;
  }
  return { set, star };
}

/** getRange: `*` / `?` / value / a-b, then an optional /step. */
function parseRange(expr: string, b: Bounds): { start: number; end: number; step: number; star: boolean } | { error: string } {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = (rangeAndStep[0] ?? "").split("-");
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    const low = intOrName(lowAndHigh[0] ?? "", b.names);
    if (typeof low === "string") return { error: low };
    start = low;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const high = intOrName(lowAndHigh[1] ?? "", b.names);
      if (typeof high === "string") return { error: high };
      end = high;
    } else return { error: `too many hyphens: ${expr}` };
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const parsed = intOrName(rangeAndStep[1] ?? "", undefined);
    if (typeof parsed === "string") return { error: parsed };
    step = parsed;
    // "N/step" means "N-max/step".
    if (single) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) return { error: `too many slashes: ${expr}` };
  if (start < b.min) return { error: `beginning of range (${start}) below minimum (${b.min}): ${expr}` };
  if (end > b.max) return { error: `end of range (${end}) above maximum (${b.max}): ${expr}` };
  if (start > end) return { error: `beginning of range (${start}) beyond end of range (${end}): ${expr}` };
  if (step === 0) return { error: `step of range should be a positive number: ${expr}` };
  return { start, end, step, star };
}

function intOrName(text: string, names: Readonly<Record<string, number>> | undefined): number | string {
  const named = names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) return `failed to parse int from ${text}`;
  return Number(text);
}

/** robfig gives up looking five years ahead. */
const searchYears = 5;

/** Schedule.Next: the first scheduled time strictly after `afterMs`; undefined when none within five years. */
export function nextScheduleMs(schedule: CronSchedule, afterMs: Ms): Ms | undefined {
  // ConstantDelaySchedule.Next: t + delay, rounded down to the second.
  if (schedule.kind === "every") return afterMs - (((afterMs % 1000) + 1000) % 1000) + schedule.delayMs;
  let t = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
  const [startYear] = civilFromDays(Math.floor(t / msPerDay));
  for (;;) {
    const days = Math.floor(t / msPerDay);
    const [year, month, day] = civilFromDays(days);
    if (year > startYear + searchYears) return undefined;
    const minuteOfDay = (t - days * msPerDay) / 60_000;
    const hour = Math.floor(minuteOfDay / 60);
    const minute = minuteOfDay % 60;
    if (!schedule.months[month]) {
      t = daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) * msPerDay;
    } else if (!dayMatches(schedule, day, days)) {
      t = (days + 1) * msPerDay;
    } else if (!schedule.hours[hour]) {
      t = days * msPerDay + (hour + 1) * 3_600_000;
    } else if (!schedule.minutes[minute]) {
      t += 60_000;
    } else {
      return t;
    }
  }
}

/** dayMatches: both must match when either field is a star, otherwise either. */
function dayMatches(s: Extract<CronSchedule, { kind: "spec" }>, dayOfMonth: number, daysSinceEpoch: number): boolean {
  const weekday = (((daysSinceEpoch + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const dom = s.doms[dayOfMonth] === true;
  const dow = s.dows[weekday] === true;
  return s.domStar || s.dowStar ? dom && dow : dom || dow;
}
