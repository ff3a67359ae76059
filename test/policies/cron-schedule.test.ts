/**
 * CronJob schedules: robfig/cron ParseStandard as the CronJob controller uses it, and
 * SpecSchedule.Next — checked against a naive twin (every minute from the start, the fields
 * matched one by one) over random schedules and times.
 */
import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { civilFromDays, formatTimeMs } from "../../src/model/civil-time.ts";
import { nextScheduleMs, parseSchedule, type CronSchedule } from "../../src/model/cron-schedule.ts";
import { timeMsOf } from "../../src/k8s/time.ts";
import type { CronJob } from "../../src/model/cron-job.ts";
import { jobNameFor, mostRecentScheduleTime, nextScheduleDelayMs } from "../../src/policies/controllers/cron-times.ts";

function schedule(text: string): CronSchedule {
  const r = parseSchedule(text);
  if (!r.ok) throw new Error(r.error);
  return r.schedule;
}

const at = (text: string) => timeMsOf(text) as number;
const next = (text: string, after: string) => {
  const t = nextScheduleMs(schedule(text), at(after));
  return t === undefined ? undefined : formatTimeMs(t);
};

describe("parsing", () => {
  test("errors as robfig words them", () => {
    expect(parseSchedule("* * * *")).toEqual({ ok: false, error: "expected exactly 5 fields, found 4: [* * * *]" });
    expect(parseSchedule("60 * * * *")).toEqual({ ok: false, error: "end of range (60) above maximum (59): 60" });
    expect(parseSchedule("* * 0 * *")).toEqual({ ok: false, error: "beginning of range (0) below minimum (1): 0" });
    expect(parseSchedule("5-2 * * * *")).toEqual({ ok: false, error: "beginning of range (5) beyond end of range (2): 5-2" });
    expect(parseSchedule("*/0 * * * *")).toEqual({ ok: false, error: "step of range should be a positive number: */0" });
    expect(parseSchedule("@sometimes")).toEqual({ ok: false, error: "unrecognized descriptor: @sometimes" });
    expect(parseSchedule("x * * * *")).toEqual({ ok: false, error: "failed to parse int from x" });
  });
  test("names, lists, ranges with steps, N/step to the maximum, descriptors", () => {
    expect(next("0 9 * JAN-MAR MON-FRI", "2024-05-01T00:00:00Z")).toBe("2025-01-01T09:00:00Z");
    expect(next("15,45 */6 * * *", "2024-05-01T06:20:00Z")).toBe("2024-05-01T06:45:00Z");
    expect(next("10/20 * * * *", "2024-05-01T06:31:00Z")).toBe("2024-05-01T06:50:00Z");
    expect(next("@hourly", "2024-05-01T06:00:00Z")).toBe("2024-05-01T07:00:00Z");
    expect(next("@daily", "2024-05-01T06:00:00Z")).toBe("2024-05-02T00:00:00Z");
    expect(next("@weekly", "2024-05-01T06:00:00Z")).toBe("2024-05-05T00:00:00Z");
    expect(next("@monthly", "2024-05-01T06:00:00Z")).toBe("2024-06-01T00:00:00Z");
    expect(next("@yearly", "2024-05-01T06:00:00Z")).toBe("2025-01-01T00:00:00Z");
    expect(next("@every 90s", "2024-05-01T06:00:00.500Z")).toBe("2024-05-01T06:01:30Z");
  });
  test("day of month OR day of week when both are restricted, AND when either is a star; */n is no star", () => {
    // 2024-05-01 is a Wednesday: the 13th or a Friday, whichever comes first.
    expect(next("0 0 13 * 5", "2024-05-01T00:00:00Z")).toBe("2024-05-03T00:00:00Z");
    expect(next("0 0 13 * *", "2024-05-01T00:00:00Z")).toBe("2024-05-13T00:00:00Z");
    expect(next("0 0 */10 * 5", "2024-05-01T00:00:00Z")).toBe("2024-05-03T00:00:00Z");
    expect(next("0 0 ? * 5", "2024-05-01T00:00:00Z")).toBe("2024-05-03T00:00:00Z");
  });
  test("strictly after, at minute granularity; the 29th of February; nothing within five years", () => {
    expect(next("*/5 * * * *", "2024-05-01T06:05:00Z")).toBe("2024-05-01T06:10:00Z");
    expect(next("*/5 * * * *", "2024-05-01T06:04:59.999Z")).toBe("2024-05-01T06:05:00Z");
    expect(next("0 0 29 2 *", "2024-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00Z");
    expect(next("0 0 30 2 *", "2024-03-01T00:00:00Z")).toBeUndefined();
  });
});

/** The naive twin: walk minute by minute and match each field. */
function naiveNext(s: Extract<CronSchedule, { kind: "spec" }>, afterMs: number, limitMinutes: number): number | undefined {
  let t = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
  for (let i = 0; i < limitMinutes; i++, t += 60_000) {
    const days = Math.floor(t / 86_400_000);
    const [, month, day] = civilFromDays(days);
    const minuteOfDay = (t - days * 86_400_000) / 60_000;
    const weekday = (days + 4) % 7;
    const dom = s.doms[day] === true;
    const dow = s.dows[weekday] === true;
    const dayOk = s.domStar || s.dowStar ? dom && dow : dom || dow;
    if (s.months[month] && dayOk && s.hours[Math.floor(minuteOfDay / 60)] && s.minutes[minuteOfDay % 60]) return t;
  }
  return undefined;
}

const field = (min: number, max: number) =>
  fc.oneof(
    fc.constant("*"),
    fc.integer({ min, max }).map(String),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.integer({ min: 1, max: Math.max(1, max - min) }).map((n) => `*/${n}`),
    fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(",")),
  );
const spec = fc.tuple(field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 6)).map((fs) => fs.join(" "));

describe("Next against the naive twin", () => {
  prop.prop([spec, fc.integer({ min: 0, max: 2_000_000_000_000 })], { numRuns: 200 })("the next time is after now, matches every field, and no earlier minute matches", (text, nowMs) => {
    const s = schedule(text);
    if (s.kind !== "spec") return;
    const got = nextScheduleMs(s, nowMs);
    // Two years of minutes bound the naive walk; every generated schedule fires within that.
    expect(got).toBeDefined();
    expect(got as number).toBeGreaterThan(nowMs);
    expect(got).toBe(naiveNext(s, nowMs, 2 * 366 * 24 * 60));
  });
});

function cronJob(schedule: string, creationMs: number, status: Partial<CronJob["status"]> = {}, startingDeadlineSeconds?: number): CronJob {
  const cj: CronJob = {
    kind: "CronJob",
    metadata: { name: "nightly", namespace: "default", uid: "cj", labels: {}, creationMs },
    spec: { schedule, concurrencyPolicy: "Allow", suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: { labels: {}, spec: {} as CronJob["spec"]["jobTemplate"]["spec"] } },
    status: { active: [], ...status },
  };
  if (startingDeadlineSeconds !== undefined) cj.spec.startingDeadlineSeconds = startingDeadlineSeconds;
  return cj;
}

describe("mostRecentScheduleTime / nextScheduleTimeDuration (utils.go)", () => {
  const hourly = schedule("0 * * * *");
  const created = at("2024-05-01T09:30:00Z");
  test("nothing due before the first time; then the most recent one, with how many were missed", () => {
    expect(mostRecentScheduleTime(cronJob("0 * * * *", created), at("2024-05-01T09:59:00Z"), hourly, true)).toEqual({ earliestMs: created, missed: 0 });
    expect(mostRecentScheduleTime(cronJob("0 * * * *", created), at("2024-05-01T10:10:00Z"), hourly, true).mostRecentMs).toBe(at("2024-05-01T10:00:00Z"));
    const late = mostRecentScheduleTime(cronJob("0 * * * *", created), at("2024-05-01T14:10:00Z"), hourly, true);
    expect(late.mostRecentMs).toBe(at("2024-05-01T14:00:00Z"));
    expect(late.missed).toBe(5);
  });
  test("more than 100 missed: still the most recent (upstream only warns TooManyMissedTimes); startingDeadlineSeconds bounds the look-back", () => {
    const r = mostRecentScheduleTime(cronJob("0 * * * *", created), at("2024-05-10T09:30:00Z"), hourly, true);
    expect(r.missed).toBeGreaterThan(100);
    expect(r.mostRecentMs).toBe(at("2024-05-10T09:00:00Z"));
    const bounded = mostRecentScheduleTime(cronJob("0 * * * *", created, {}, 600), at("2024-05-10T09:30:00Z"), hourly, true);
    expect(bounded).toEqual({ earliestMs: at("2024-05-10T09:20:00Z"), missed: 0 });
  });
  test("counted from lastScheduleTime; the requeue is the next time plus 100 ms", () => {
    const cj = cronJob("0 * * * *", created, { lastScheduleMs: at("2024-05-01T10:00:00Z") });
    expect(mostRecentScheduleTime(cj, at("2024-05-01T10:30:00Z"), hourly, true).mostRecentMs).toBeUndefined();
    expect(nextScheduleDelayMs(cj, at("2024-05-01T10:30:00Z"), hourly)).toBe(30 * 60_000 + 100);
  });
  test("Job names: the CronJob's name and the scheduled minutes since the epoch", () => {
    expect(jobNameFor(cronJob("* * * * *", 0), at("2024-05-01T10:00:00Z"))).toBe(`nightly-${at("2024-05-01T10:00:00Z") / 60_000}`);
    expect(jobNameFor(cronJob("* * * * *", 0), at("2024-05-01T10:00:00Z"))).toBe("nightly-28575960");
  });
});
