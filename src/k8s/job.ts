/**
 * batch/v1 Job ↔ the model's Job. Defaults as upstream SetDefaults_Job (pkg/apis/batch/v1/
 * defaults.go): completions and parallelism 1 when both are absent, parallelism 1, backoffLimit 6,
 * completionMode NonIndexed, suspend false, podReplacementPolicy Failed with a podFailurePolicy
 * (TerminatingOrFailed otherwise), an onPodConditions pattern's status True, the Job's labels the
 * template's when it has none. Refused as ValidateJob / ValidateJobSpec refuse: a template
 * restartPolicy other than OnFailure or Never, Indexed without completions, a selector without
 * manualSelector ("`selector` not auto-generated"), manualSelector without a selector, a
 * podFailurePolicy with restartPolicy OnFailure, a rule with both or neither requirement, exit code
 * 0 in an In rule, backoffLimitPerIndex without Indexed, maxFailedIndexes without
 * backoffLimitPerIndex or above completions, FailIndex without backoffLimitPerIndex; backoffLimit
 * defaults to 2147483647 with backoffLimitPerIndex. Not modelled yet, refused with a message:
 * successPolicy.
 */
import { Schema, SchemaGetter } from "effect";
import { jobControllerUidLabel, type Job, type JobCondition, type JobSpec, type PodFailurePolicyRule } from "../model/job.ts";
import { selectorMatches } from "../model/labels.ts";
import { modelOf } from "./codec.ts";
import { Count, CountOrZero, Integer, opt, orDefault } from "./fields.ts";
import { isEmptySelector, LabelSelector } from "./label-selector.ts";
import { asMutable } from "./mutable.ts";
import { NamespacedMeta } from "./object-meta.ts";
import { PodTemplateCodec } from "./pod-spec.ts";
import { issueAt } from "./problem.ts";
import { Timestamp } from "./time.ts";

/** upstream DefaultBackoffLimit (SetDefaults_Job). */
export const defaultBackoffLimit = 6;

const ConditionStatus = Schema.Literals(["True", "False", "Unknown"]);

const RuleWire = Schema.Struct({
  action: Schema.Literals(["FailJob", "Ignore", "Count", "FailIndex"]),
  onExitCodes: opt(Schema.Struct({ containerName: opt(Schema.String), operator: Schema.Literals(["In", "NotIn"]), values: Schema.Array(Integer.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(255))) })),
  onPodConditions: opt(Schema.Array(Schema.Struct({ type: Schema.NonEmptyString, status: opt(ConditionStatus) }))),
}).check(
  Schema.makeFilter((r) => {
    if ((r.onExitCodes === undefined) === (r.onPodConditions === undefined)) return issueAt([], "expected exactly one of onExitCodes and onPodConditions");
    if (r.onExitCodes !== undefined && r.onExitCodes.values.length === 0) return issueAt(["onExitCodes", "values"], "expected at least one exit code");
    if (r.onExitCodes?.operator === "In" && r.onExitCodes.values.includes(0)) return issueAt(["onExitCodes", "values"], "must not include 0 for the In operator");
    return true;
  }),
);

const ConditionWire = Schema.Struct({
  type: Schema.Literals(["Complete", "Failed", "Suspended", "FailureTarget", "SuccessCriteriaMet"]),
  status: ConditionStatus,
  reason: opt(Schema.String),
  message: opt(Schema.String),
  lastTransitionTime: opt(Timestamp),
});

const notModelled = (field: string) => Schema.makeFilter((spec: Record<string, unknown>) => spec[field] === undefined || issueAt([field], `${field} is not modelled yet`, { pointAt: "key" }));

const JobSpecWire = Schema.Struct({
  parallelism: opt(Count),
  completions: opt(Count),
  backoffLimit: opt(Count),
  activeDeadlineSeconds: opt(Count),
  ttlSecondsAfterFinished: opt(Count),
  completionMode: opt(Schema.Literals(["NonIndexed", "Indexed"])),
  suspend: opt(Schema.Boolean),
  podReplacementPolicy: opt(Schema.Literals(["TerminatingOrFailed", "Failed"])),
  manualSelector: opt(Schema.Boolean),
  selector: opt(LabelSelector),
  template: PodTemplateCodec,
  podFailurePolicy: opt(Schema.Struct({ rules: Schema.Array(RuleWire) })),
  backoffLimitPerIndex: opt(Count),
  maxFailedIndexes: opt(Count),
  successPolicy: opt(Schema.Unknown),
}).check(
  notModelled("successPolicy"),
  Schema.makeFilter((s) => {
    if (s.backoffLimitPerIndex !== undefined && s.completionMode !== "Indexed") return issueAt(["backoffLimitPerIndex"], "requires indexed completion mode");
    if (s.maxFailedIndexes !== undefined && s.backoffLimitPerIndex === undefined) return issueAt(["backoffLimitPerIndex"], "when maxFailedIndexes is specified, backoffLimitPerIndex is required", { pointAt: "key" });
    if (s.maxFailedIndexes !== undefined && s.completions !== undefined && s.maxFailedIndexes > s.completions) return issueAt(["maxFailedIndexes"], "must be less than or equal to completions");
    const failIndex = (s.podFailurePolicy?.rules ?? []).findIndex((r) => r.action === "FailIndex");
    if (failIndex >= 0 && s.backoffLimitPerIndex === undefined) return issueAt(["podFailurePolicy", "rules", failIndex, "action"], "FailIndex is only valid when backoffLimitPerIndex is specified");
    return true;
  }),
  Schema.makeFilter((s) => {
    const restart = s.template.spec.restartPolicy;
    if (restart !== "OnFailure" && restart !== "Never") return issueAt(["template", "spec", "restartPolicy"], `expected "OnFailure" or "Never" for a Job's pods, got "${restart ?? "Always"}"${restart === undefined ? " (the default)" : ""}`);
    if (s.podFailurePolicy !== undefined && restart !== "Never") return issueAt(["template", "spec", "restartPolicy"], 'only "Never" is supported when podFailurePolicy is specified');
    if (s.completionMode === "Indexed" && s.completions === undefined) return issueAt(["completions"], "when completion mode is Indexed, completions is required", { pointAt: "key" });
    if (s.manualSelector === true) return s.selector === undefined ? issueAt(["selector"], "expected a selector when manualSelector is true", { pointAt: "key" }) : true;
    if (s.selector !== undefined && !generatedShape(s.selector)) return issueAt(["selector"], notGenerated);
    return true;
  }),
  Schema.makeFilter((s) => {
    if (s.manualSelector !== true || s.selector === undefined) return true;
    if (isEmptySelector(s.selector)) return issueAt(["selector"], "expected a non-empty selector");
    return selectorMatches(asMutable(s.selector), s.template.labels) || issueAt(["selector"], "the selector does not match the template's labels (spec.template.metadata.labels)");
  }),
);

const notGenerated = "`selector` not auto-generated (set manualSelector: true to choose the pods' selector yourself)";

/**
 * The selector the API server generates for a Job (generateSelector in pkg/registry/batch/job/
 * strategy.go): only the controller-uid label. A Job read back from a cluster carries it; one
 * written by hand may not (validateGeneratedSelector in pkg/apis/batch/validation refuses it).
 */
function generatedShape(selector: typeof LabelSelector.Type): boolean {
  const keys = Object.keys(selector.matchLabels ?? {});
  return (selector.matchExpressions ?? []).length === 0 && keys.length === 1 && keys[0] === jobControllerUidLabel;
}

/** A Job's spec with its defaults (also a CronJob's jobTemplate.spec). */
export const JobSpecCodec = JobSpecWire.pipe(
  Schema.decodeTo(modelOf<JobSpec>("a Job spec"), {
    decode: SchemaGetter.transform((w: typeof JobSpecWire.Type) => specOf(w)),
    encode: SchemaGetter.transform((spec: JobSpec) => spec as unknown as typeof JobSpecWire.Type),
  }),
);

const JobStatusWire = orDefault(
  Schema.Struct({
    active: CountOrZero,
    succeeded: CountOrZero,
    failed: CountOrZero,
    ready: CountOrZero,
    terminating: CountOrZero,
    startTime: opt(Timestamp),
    completionTime: opt(Timestamp),
    completedIndexes: opt(Schema.String),
    failedIndexes: opt(Schema.String),
    conditions: opt(Schema.Array(ConditionWire)),
  }),
  {},
);

const JobWire = Schema.Struct({
  apiVersion: opt(Schema.Literal("batch/v1")),
  kind: opt(Schema.Literal("Job")),
  metadata: NamespacedMeta,
  spec: JobSpecCodec,
  status: JobStatusWire,
}).check(
  Schema.makeFilter((j) => {
    const selector = j.spec.selector;
    if (j.spec.manualSelector === true || selector === undefined) return true;
    return selector.matchLabels?.[jobControllerUidLabel] === j.metadata.uid || issueAt(["spec", "selector"], notGenerated);
  }),
);

type JobWire = typeof JobWire.Type;

function ruleOf(r: typeof RuleWire.Type): PodFailurePolicyRule {
  const rule: PodFailurePolicyRule = { action: r.action };
  if (r.onExitCodes !== undefined) rule.onExitCodes = asMutable(r.onExitCodes);
  if (r.onPodConditions !== undefined) rule.onPodConditions = r.onPodConditions.map((p) => ({ type: p.type, status: p.status ?? "True" }));
  return rule;
}

function specOf(w: typeof JobSpecWire.Type): JobSpec {
  const bothAbsent = w.completions === undefined && w.parallelism === undefined;
  const spec: JobSpec = {
    parallelism: w.parallelism ?? 1,
    // SetDefaults_Job: with backoffLimitPerIndex the global limit is MaxInt32.
    backoffLimit: w.backoffLimit ?? (w.backoffLimitPerIndex !== undefined ? 2_147_483_647 : defaultBackoffLimit),
    completionMode: w.completionMode ?? "NonIndexed",
    suspend: w.suspend ?? false,
    podReplacementPolicy: w.podReplacementPolicy ?? (w.podFailurePolicy !== undefined ? "Failed" : "TerminatingOrFailed"),
    template: w.template,
  };
  const completions = bothAbsent ? 1 : w.completions;
  if (completions !== undefined) spec.completions = completions;
  if (w.activeDeadlineSeconds !== undefined) spec.activeDeadlineSeconds = w.activeDeadlineSeconds;
  if (w.ttlSecondsAfterFinished !== undefined) spec.ttlSecondsAfterFinished = w.ttlSecondsAfterFinished;
  if (w.manualSelector !== undefined) spec.manualSelector = w.manualSelector;
  if (w.selector !== undefined) spec.selector = asMutable(w.selector);
  if (w.podFailurePolicy !== undefined) spec.podFailurePolicy = { rules: w.podFailurePolicy.rules.map(ruleOf) };
  if (w.backoffLimitPerIndex !== undefined) spec.backoffLimitPerIndex = w.backoffLimitPerIndex;
  if (w.maxFailedIndexes !== undefined) spec.maxFailedIndexes = w.maxFailedIndexes;
  return spec;
}

function jobOf(w: JobWire): Job {
  const s = w.status;
  const status: Job["status"] = { active: s.active, succeeded: s.succeeded, failed: s.failed, ready: s.ready, terminating: s.terminating, conditions: (s.conditions ?? []).map(conditionOf) };
  if (s.startTime !== undefined) status.startMs = s.startTime;
  if (s.completionTime !== undefined) status.completionMs = s.completionTime;
  if (s.completedIndexes !== undefined) status.completedIndexes = s.completedIndexes;
  if (s.failedIndexes !== undefined) status.failedIndexes = s.failedIndexes;
  const spec = w.spec;
  // SetDefaults_Job: a Job without labels takes its template's.
  const labels = Object.keys(w.metadata.labels).length === 0 ? { ...spec.template.labels } : w.metadata.labels;
  return { kind: "Job", metadata: { ...w.metadata, labels }, spec, status };
}

function conditionOf(c: typeof ConditionWire.Type): JobCondition {
  return { type: c.type, status: c.status, reason: c.reason ?? "", message: c.message ?? "", lastTransitionMs: c.lastTransitionTime ?? 0 };
}

function jobWireOf(job: Job): JobWire {
  const s = job.status;
  const status: JobWire["status"] = {
    active: s.active, succeeded: s.succeeded, failed: s.failed, ready: s.ready, terminating: s.terminating,
    ...(s.startMs !== undefined ? { startTime: s.startMs } : {}),
    ...(s.completionMs !== undefined ? { completionTime: s.completionMs } : {}),
    ...(s.completedIndexes !== undefined ? { completedIndexes: s.completedIndexes } : {}),
    ...(s.failedIndexes !== undefined ? { failedIndexes: s.failedIndexes } : {}),
    conditions: s.conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: c.lastTransitionMs })),
  };
  return { apiVersion: "batch/v1", kind: "Job", metadata: job.metadata, spec: job.spec, status };
}

export const JobCodec = JobWire.pipe(
  Schema.decodeTo(modelOf<Job>("a Job", "Job"), {
    decode: SchemaGetter.transform(jobOf),
    encode: SchemaGetter.transform(jobWireOf),
  }),
);
