import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { decodeObject, encodeObject } from "../../src/k8s/decode.ts";
import { CronJobCodec } from "../../src/k8s/cron-job.ts";
import { JobCodec } from "../../src/k8s/job.ts";
import { withGeneratedSelector, type Job } from "../../src/model/job.ts";

const container = { name: "work", image: "example/batch:1", resources: { requests: { cpu: "100m" } } };
const manifest = (spec: Record<string, unknown>, template: Record<string, unknown> = {}) => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "pi" },
  spec: { template: { metadata: { labels: { app: "pi" } }, spec: { restartPolicy: "Never", containers: [container], ...template } }, ...spec },
});

function decoded(raw: unknown): Job {
  const r = decodeObject(JobCodec, raw);
  if (Result.isFailure(r)) throw new Error(JSON.stringify(r.failure));
  return r.success;
}

function problem(raw: unknown): { path: unknown[]; message: string } {
  const r = decodeObject(JobCodec, raw);
  if (Result.isSuccess(r)) throw new Error("expected a refusal");
  return { path: r.failure.path, message: r.failure.message };
}

describe("Job defaults as upstream SetDefaults_Job", () => {
  it("a bare Job: completions 1, parallelism 1, backoffLimit 6, NonIndexed, not suspended, TerminatingOrFailed, labels from the template", () => {
    const job = decoded(manifest({}));
    expect(job.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: "NonIndexed", suspend: false, podReplacementPolicy: "TerminatingOrFailed" });
    expect(job.metadata.labels).toEqual({ app: "pi" });
    expect(job.status).toEqual({ active: 0, succeeded: 0, failed: 0, ready: 0, terminating: 0, conditions: [] });
  });

  it("parallelism alone leaves completions unset (a work queue); completions alone gets parallelism 1", () => {
    expect(decoded(manifest({ parallelism: 3 })).spec.completions).toBeUndefined();
    expect(decoded(manifest({ completions: 5 })).spec).toMatchObject({ completions: 5, parallelism: 1 });
  });

  it("a podFailurePolicy makes podReplacementPolicy Failed and a condition pattern's status True", () => {
    const job = decoded(manifest({ podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] }] } }));
    expect(job.spec.podReplacementPolicy).toBe("Failed");
    expect(job.spec.podFailurePolicy?.rules[0]?.onPodConditions).toEqual([{ type: "DisruptionTarget", status: "True" }]);
  });
});

describe("Job validation as upstream ValidateJobSpec", () => {
  it("refuses the default restartPolicy Always", () => {
    const m = manifest({});
    delete (m.spec.template.spec as { restartPolicy?: string }).restartPolicy;
    expect(problem(m)).toEqual({ path: ["spec", "template", "spec", "restartPolicy"], message: 'expected "OnFailure" or "Never" for a Job\'s pods, got "Always" (the default)' });
  });

  it("refuses a podFailurePolicy with OnFailure", () => {
    expect(problem(manifest({ podFailurePolicy: { rules: [] } }, { restartPolicy: "OnFailure" })).message).toBe('only "Never" is supported when podFailurePolicy is specified');
  });

  it("refuses Indexed without completions, a selector without manualSelector, exit code 0 under In, a rule with two requirements", () => {
    expect(problem(manifest({ completionMode: "Indexed", parallelism: 2 })).path).toEqual(["spec", "completions"]);
    expect(problem(manifest({ selector: { matchLabels: { app: "pi" } } })).message).toContain("`selector` not auto-generated");
    expect(problem(manifest({ podFailurePolicy: { rules: [{ action: "FailJob", onExitCodes: { operator: "In", values: [0, 1] } }] } })).message).toBe("must not include 0 for the In operator");
    expect(problem(manifest({ podFailurePolicy: { rules: [{ action: "Count", onExitCodes: { operator: "In", values: [1] }, onPodConditions: [{ type: "DisruptionTarget" }] }] } })).message).toBe("expected exactly one of onExitCodes and onPodConditions");
  });

  it("reads back a stored Job: the generated selector (its own uid's controller-uid label) is valid without manualSelector, as validateGeneratedSelector", () => {
    const created = withGeneratedSelector({ ...decoded(manifest({})), metadata: { ...decoded(manifest({})).metadata, uid: "uid-1" } });
    const stored = encodeObject(JobCodec, created) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    expect(stored.spec.selector).toEqual({ matchLabels: { "batch.kubernetes.io/controller-uid": "uid-1" } });
    expect(decoded(stored).spec.selector).toEqual(created.spec.selector);
    // another Job's uid, or more labels than the generated one: not auto-generated
    expect(problem({ ...stored, metadata: { ...stored.metadata, uid: "uid-2" } })).toEqual({ path: ["spec", "selector"], message: expect.stringContaining("`selector` not auto-generated") });
    const wider = { ...stored, spec: { ...stored.spec, selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "uid-1", app: "pi" } } } };
    expect(problem(wider).message).toContain("`selector` not auto-generated");
  });

  it("says what is not modelled yet", () => {
    expect(problem(manifest({ successPolicy: { rules: [] } }))).toEqual({ path: ["spec", "successPolicy"], message: "successPolicy is not modelled yet" });
  });

  it("backoffLimitPerIndex: needs Indexed; maxFailedIndexes needs it and at most completions; FailIndex needs it; the global backoffLimit defaults to MaxInt32", () => {
    expect(problem(manifest({ backoffLimitPerIndex: 1 }))).toEqual({ path: ["spec", "backoffLimitPerIndex"], message: "requires indexed completion mode" });
    expect(problem(manifest({ completionMode: "Indexed", completions: 2, maxFailedIndexes: 1 })).message).toBe("when maxFailedIndexes is specified, backoffLimitPerIndex is required");
    expect(problem(manifest({ completionMode: "Indexed", completions: 2, backoffLimitPerIndex: 1, maxFailedIndexes: 3 }))).toEqual({ path: ["spec", "maxFailedIndexes"], message: "must be less than or equal to completions" });
    expect(problem(manifest({ podFailurePolicy: { rules: [{ action: "FailIndex", onExitCodes: { operator: "In", values: [3] } }] } }))).toEqual({ path: ["spec", "podFailurePolicy", "rules", 0, "action"], message: "FailIndex is only valid when backoffLimitPerIndex is specified" });
    expect(decoded(manifest({ completionMode: "Indexed", completions: 2, backoffLimitPerIndex: 1 })).spec).toMatchObject({ backoffLimit: 2147483647, backoffLimitPerIndex: 1 });
  });

  it("manualSelector takes the given selector, which must select the template", () => {
    expect(decoded(manifest({ manualSelector: true, selector: { matchLabels: { app: "pi" } } })).spec.selector).toEqual({ matchLabels: { app: "pi" } });
    expect(problem(manifest({ manualSelector: true, selector: { matchLabels: { app: "other" } } })).path).toEqual(["spec", "selector"]);
  });
});

describe("the registry's generateSelector", () => {
  it("labels the template with both forms of job-name and controller-uid and selects on batch.kubernetes.io/controller-uid", () => {
    const job = withGeneratedSelector({ ...decoded(manifest({})), metadata: { ...decoded(manifest({})).metadata, uid: "u-7" } });
    expect(job.spec.template.labels).toEqual({ app: "pi", "job-name": "pi", "batch.kubernetes.io/job-name": "pi", "controller-uid": "u-7", "batch.kubernetes.io/controller-uid": "u-7" });
    expect(job.spec.selector).toEqual({ matchLabels: { "batch.kubernetes.io/controller-uid": "u-7" } });
  });

  it("leaves a manual selector alone", () => {
    const job = decoded(manifest({ manualSelector: true, selector: { matchLabels: { app: "pi" } } }));
    expect(withGeneratedSelector(job)).toBe(job);
  });
});

describe("CronJob defaults and refusals (SetDefaults_CronJob, ValidateCronJobSpec)", () => {
  const cron = (spec: Record<string, unknown>, name = "nightly") => ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name },
    spec: { schedule: "0 3 * * *", jobTemplate: { spec: manifest({}).spec }, ...spec },
  });
  function decodedCron(raw: unknown) {
    const r = decodeObject(CronJobCodec, raw);
    if (Result.isFailure(r)) throw new Error(JSON.stringify(r.failure));
    return r.success;
  }
  function cronProblem(raw: unknown) {
    const r = decodeObject(CronJobCodec, raw);
    if (Result.isSuccess(r)) throw new Error("expected a refusal");
    return { path: r.failure.path, message: r.failure.message };
  }
  it("Allow, not suspended, 3 successful and 1 failed Job kept; the job template defaulted as a Job", () => {
    const cj = decodedCron(cron({}));
    expect(cj.spec).toMatchObject({ concurrencyPolicy: "Allow", suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cj.spec.jobTemplate.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6 });
  });
  it("refuses a schedule cron cannot parse (robfig's words), TZ in the schedule, a name over 52 characters, a time zone other than UTC", () => {
    expect(cronProblem(cron({ schedule: "0 25 * * *" }))).toEqual({ path: ["spec", "schedule"], message: 'end of range (25) above maximum (23): 25, got "0 25 * * *"' });
    expect(cronProblem(cron({ schedule: "CRON_TZ=UTC 0 3 * * *" })).message).toContain("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    expect(cronProblem(cron({}, "n".repeat(53)))).toEqual({ path: ["metadata", "name"], message: "must be no more than 52 characters" });
    expect(cronProblem(cron({ timeZone: "Europe/Paris" })).message).toContain('time zone "Europe/Paris" is not modelled yet');
    expect(decodedCron(cron({ timeZone: "Etc/UTC" })).spec.timeZone).toBe("Etc/UTC");
  });
});
