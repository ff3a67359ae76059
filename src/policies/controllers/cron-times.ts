/**
 * When a CronJob is due (upstream pkg/controller/cronjob/utils.go mostRecentScheduleTime,
 * nextScheduleTime, nextScheduleTimeDuration, getJobName): the most recent scheduled time not yet
 * run — counted from the CronJob's creation or its lastScheduleTime, and no earlier than
 * startingDeadlineSeconds ago — how many were missed (more than 100 is upstream's
 * TooManyMissedTimes warning; the most recent one still runs), and when to look again (the next
 * scheduled time plus 100 ms).
 */
import type { CronJob } from "../../model/cron-job.ts";
import { nextScheduleMs, type CronSchedule } from "../../model/cron-schedule.ts";
import type { Ms } from "../../model/units.ts";

/** upstream nextScheduleDelta. */
export const nextScheduleDeltaMs = 100;
/** More missed start times than this and upstream warns TooManyMissedTimes. */
export const tooManyMissedTimes = 100;

export interface MostRecent {
  earliestMs: Ms;
  /** The most recent scheduled time at or before now, if any since earliestMs. */
  mostRecentMs?: Ms;
  /** upstream's rough count of the schedules missed since earliestMs. */
  missed: number;
  /** The schedule repeats less than a second apart, or never: upstream's "invalid schedule". */
  invalid?: string;
}

/** mostRecentScheduleTime. */
export function mostRecentScheduleTime(cj: CronJob, nowMs: Ms, schedule: CronSchedule, includeStartingDeadline: boolean): MostRecent {
  let earliestMs = cj.status.lastScheduleMs ?? cj.metadata.creationMs;
  const deadline = cj.spec.startingDeadlineSeconds;
  if (includeStartingDeadline && deadline !== undefined) earliestMs = Math.max(earliestMs, nowMs - deadline * 1000);
  const t1 = nextScheduleMs(schedule, earliestMs);
  if (t1 === undefined || nowMs < t1) return { earliestMs, missed: 0 };
  const t2 = nextScheduleMs(schedule, t1);
  if (t2 === undefined || nowMs < t2) return { earliestMs, mostRecentMs: t1, missed: 0 };
  const betweenS = Math.round((t2 - t1) / 1000);
  if (betweenS < 1) return { earliestMs, missed: 0, invalid: "time difference between two schedules is less than 1 second" };
  const elapsedS = Math.trunc((nowMs - t1) / 1000);
  const missed = Math.trunc(elapsedS / betweenS) + 1;
  // Start two intervals before the estimate and let the schedule walk forward (irregular schedules).
  let mostRecentMs: Ms | undefined;
  for (let t = nextScheduleMs(schedule, t1 + (missed - 2) * betweenS * 1000); t !== undefined && t <= nowMs; t = nextScheduleMs(schedule, t)) mostRecentMs = t;
  return mostRecentMs === undefined ? { earliestMs, missed } : { earliestMs, mostRecentMs, missed };
}

/** nextScheduleTime: the scheduled time to run now, if one is due. */
export function nextScheduleTime(cj: CronJob, nowMs: Ms, schedule: CronSchedule): MostRecent {
  return mostRecentScheduleTime(cj, nowMs, schedule, true);
}

/** nextScheduleTimeDuration: how long until the controller should look at the CronJob again. */
export function nextScheduleDelayMs(cj: CronJob, nowMs: Ms, schedule: CronSchedule): Ms | undefined {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, false);
  const from = r.invalid !== undefined ? nowMs : (r.mostRecentMs ?? (r.missed === 0 ? r.earliestMs : nowMs));
  const next = nextScheduleMs(schedule, from);
  return next === undefined ? undefined : next + nextScheduleDeltaMs - nowMs;
}

/** getJobName: the CronJob's name and the scheduled time in minutes since the epoch (one Job per scheduled time). */
export function jobNameFor(cj: CronJob, scheduledMs: Ms): string {
  return `${cj.metadata.name}-${Math.floor(scheduledMs / 60_000)}`;
}
