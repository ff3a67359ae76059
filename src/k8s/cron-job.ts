/**
 * batch/v1 CronJob ↔ the model's CronJob. Defaults as upstream SetDefaults_CronJob:
 * concurrencyPolicy Allow, suspend false, successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1;
 * the jobTemplate's spec as a Job's (SetDefaults_Job). Refused as ValidateCronJobCreate /
 * ValidateCronJobSpec refuse: a name longer than 52 characters, a schedule cron cannot parse
 * (robfig's message), TZ or CRON_TZ inside the schedule. Only UTC time zones are modelled
 * ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Zulu", "Zulu"): any other timeZone is refused with a
 * message, as the twin evaluates schedules in UTC.
 */
import { Schema, SchemaGetter } from "effect";
import type { CronJob } from "../model/cron-job.ts";
import { parseSchedule } from "../model/cron-schedule.ts";
import { modelOf } from "./codec.ts";
import { Count, opt, orDefault } from "./fields.ts";
import { JobSpecCodec } from "./job.ts";
import { asMutable } from "./mutable.ts";
import { Annotations, Labels } from "./object-names.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { issueAt } from "./problem.ts";
import { Timestamp } from "./time.ts";

/** upstream validation: a CronJob's name leaves room for the 11-character scheduled-time suffix of its Jobs. */
export const cronJobNameLengthMax = 52;
export const utcTimeZones: readonly string[] = ["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Zulu", "Zulu", "Etc/UCT", "UCT"];

const ScheduleWire = Schema.String.check(
  Schema.makeFilter((s: string) => {
    if (s.includes("TZ")) return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
    const parsed = parseSchedule(s);
    return parsed.ok || parsed.error;
  }),
);

const TimeZoneWire = Schema.String.check(
  Schema.makeFilter((tz: string) => utcTimeZones.includes(tz) || `time zone "${tz}" is not modelled yet: the twin evaluates schedules in UTC (leave timeZone out, or give "UTC" or "Etc/UTC")`),
);

const ReferenceWire = Schema.Struct({ apiVersion: opt(Schema.String), kind: opt(Schema.String), namespace: Schema.String, name: Schema.String, uid: Schema.String });

const CronJobWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("batch/v1")),
  kind: opt(Schema.Literal("CronJob")),
  metadata: NamespacedMeta.check(
    Schema.makeFilter((m) => m.name.length <= cronJobNameLengthMax || issueAt(["name"], `must be no more than ${cronJobNameLengthMax} characters`)),
  ),
  spec: Schema.Struct({
    schedule: ScheduleWire,
    timeZone: opt(TimeZoneWire),
    startingDeadlineSeconds: opt(Count),
    concurrencyPolicy: opt(Schema.Literals(["Allow", "Forbid", "Replace"])),
    suspend: opt(Schema.Boolean),
    successfulJobsHistoryLimit: opt(Count),
    failedJobsHistoryLimit: opt(Count),
    jobTemplate: Schema.Struct({ metadata: opt(Schema.Struct({ labels: opt(Labels), annotations: opt(Annotations) })), spec: JobSpecCodec }),
  }),
  status: orDefault(Schema.Struct({ active: opt(Schema.Array(ReferenceWire)), lastScheduleTime: opt(Timestamp), lastSuccessfulTime: opt(Timestamp) }), {}),
});

type CronJobWire = typeof CronJobWire.Type;

function cronJobOf(w: CronJobWire): CronJob {
  const s = w.spec;
  const template: CronJob["spec"]["jobTemplate"] = { labels: { ...s.jobTemplate.metadata?.labels }, spec: s.jobTemplate.spec };
  if (s.jobTemplate.metadata?.annotations !== undefined) template.annotations = { ...s.jobTemplate.metadata.annotations };
  const spec: CronJob["spec"] = {
    schedule: s.schedule,
    concurrencyPolicy: s.concurrencyPolicy ?? "Allow",
    suspend: s.suspend ?? false,
    successfulJobsHistoryLimit: s.successfulJobsHistoryLimit ?? 3,
    failedJobsHistoryLimit: s.failedJobsHistoryLimit ?? 1,
    jobTemplate: template,
  };
  if (s.timeZone !== undefined) spec.timeZone = s.timeZone;
  if (s.startingDeadlineSeconds !== undefined) spec.startingDeadlineSeconds = s.startingDeadlineSeconds;
  const status: CronJob["status"] = { active: (w.status.active ?? []).map((r) => ({ namespace: r.namespace, name: r.name, uid: r.uid })) };
  if (w.status.lastScheduleTime !== undefined) status.lastScheduleMs = w.status.lastScheduleTime;
  if (w.status.lastSuccessfulTime !== undefined) status.lastSuccessfulMs = w.status.lastSuccessfulTime;
  return { kind: "CronJob", metadata: w.metadata, spec, status };
}

function cronJobWireOf(cj: CronJob): CronJobWire {
  const { jobTemplate, ...spec } = cj.spec;
  const metadata = { labels: jobTemplate.labels, ...(jobTemplate.annotations !== undefined ? { annotations: jobTemplate.annotations } : {}) };
  const status = {
    active: cj.status.active.map((r) => ({ apiVersion: "batch/v1", kind: "Job", ...r })),
    ...(cj.status.lastScheduleMs !== undefined ? { lastScheduleTime: cj.status.lastScheduleMs } : {}),
    ...(cj.status.lastSuccessfulMs !== undefined ? { lastSuccessfulTime: cj.status.lastSuccessfulMs } : {}),
  };
  return asMutable({ apiVersion: "batch/v1" as const, kind: "CronJob" as const, metadata: cj.metadata, spec: { ...spec, jobTemplate: { metadata, spec: jobTemplate.spec } }, status });
}

export const CronJobCodec = CronJobWire.pipe(
  Schema.decodeTo(modelOf<CronJob>("a CronJob", "CronJob"), {
    decode: SchemaGetter.transform(cronJobOf),
    encode: SchemaGetter.transform(cronJobWireOf),
  }),
);
