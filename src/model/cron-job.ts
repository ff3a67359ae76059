/**
 * batch/v1 CronJob in the model's style: Jobs made from a template on a cron schedule, evaluated
 * in virtual time (policies/controllers/cronjob.ts). Lives in the generic object store.
 */
import type { JobSpec } from "./job.ts";
import type { Labels, ObjectMeta } from "./objects.ts";
import type { Ms } from "./units.ts";

/** upstream batchv1.CronJobScheduledTimestampAnnotation: the scheduled time a Job was made for. */
export const cronJobScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

export interface JobReference {
  namespace: string;
  name: string;
  uid: string;
}

export interface CronJobSpec {
  schedule: string;
  /** Only UTC zones are modelled ("UTC", "Etc/UTC"): the codec refuses others. */
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy: "Allow" | "Forbid" | "Replace";
  suspend: boolean;
  successfulJobsHistoryLimit: number;
  failedJobsHistoryLimit: number;
  jobTemplate: { labels: Labels; annotations?: Record<string, string>; spec: JobSpec };
}

export interface CronJobStatus {
  active: JobReference[];
  lastScheduleMs?: Ms;
  lastSuccessfulMs?: Ms;
}

export interface CronJob {
  kind: "CronJob";
  metadata: ObjectMeta;
  spec: CronJobSpec;
  status: CronJobStatus;
}
