/**
 * What a scenario may ask for, so that a typo (10 million replicas, `99999999h`) is refused at load
 * time, in milliseconds, naming the limit, instead of running the machine out of memory. Every limit
 * is documented in docs/scenario-format.md and raised with `--limit NAME=VALUE` (one flag, given
 * once per limit). Defaults follow Kubernetes' published scalability thresholds where there is one
 * (5,000 nodes and 150,000 pods per cluster).
 */
import { formatBytes, formatDurationMs, parseDurationMs, parseUnits } from "../model/units.ts";

export interface Limits {
  /** Size of a scenario, manifest or explain input file. */
  fileBytesMax: number;
  /** Replicas of one Deployment or ReplicaSet (manifest, override, or a ScaleWorkload fault). */
  replicasMax: number;
  /** Pods the scenario may ask for at once, all workloads together at their largest. */
  podsMax: number;
  /** Nodes over all node pools. */
  nodesMax: number;
  /** The run's virtual duration. */
  durationMsMax: number;
  /** Events (engine steps) one run may execute. */
  eventsMax: number;
}

export const defaultLimits: Limits = {
  fileBytesMax: 64 * 2 ** 20,
  replicasMax: 100_000,
  podsMax: 150_000,
  nodesMax: 5_000,
  durationMsMax: 30 * 24 * 3_600_000,
  eventsMax: 200_000_000,
};

interface LimitDef {
  field: keyof Limits;
  /** The value's text → a positive integer, or undefined. */
  parse(text: string): number | undefined;
  format(value: number): string;
}

const positiveInt = (text: string): number | undefined => (/^[1-9][0-9]*$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined);
const positive = (n: number | undefined): number | undefined => (n !== undefined && n > 0 ? n : undefined);
const count = (n: number): string => String(n);

/** `--limit` names, in the order the docs list them. */
export const limitDefs: Readonly<Record<string, LimitDef>> = {
  "file-bytes": { field: "fileBytesMax", parse: (t) => positive(parseUnits(t)), format: formatBytes },
  replicas: { field: "replicasMax", parse: positiveInt, format: count },
  pods: { field: "podsMax", parse: positiveInt, format: count },
  nodes: { field: "nodesMax", parse: positiveInt, format: count },
  duration: { field: "durationMsMax", parse: (t) => positive(parseDurationMs(t)), format: formatDurationMs },
  events: { field: "eventsMax", parse: positiveInt, format: count },
};

/** `--limit` values (`name=value`, each name at most once) over the defaults. */
export function limitsFrom(flags: readonly string[]): Limits | { error: string } {
  const out: Limits = { ...defaultLimits };
  const seen = new Set<string>();
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    const name = eq < 0 ? flag : flag.slice(0, eq);
    const def = Object.hasOwn(limitDefs, name) ? limitDefs[name] : undefined;
    if (def === undefined) return { error: `--limit ${flag}: expected NAME=VALUE with NAME one of ${Object.keys(limitDefs).join(", ")}` };
    if (seen.has(name)) return { error: `--limit ${name} given twice` };
    seen.add(name);
    const text = flag.slice(eq + 1);
    const value = def.parse(text);
    if (value === undefined && /^[1-9][0-9]{15,}$/.test(text)) return { error: `--limit ${flag}: too large (at most ${Number.MAX_SAFE_INTEGER})` };
    if (value === undefined) return { error: `--limit ${flag}: expected a positive ${name === "duration" ? 'duration like "2160h"' : name === "file-bytes" ? 'size like "256Mi"' : "whole number"}` };
    out[def.field] = value;
  }
  return out;
}

/** "the limit is 100000 replicas per workload (raise it with --limit replicas=…)". */
export function limitText(name: keyof typeof limitDefs & string, limits: Limits, what: string): string {
  const def = limitDefs[name] as LimitDef;
  return `the limit is ${def.format(limits[def.field])} ${what} (raise it with --limit ${name}=…)`;
}
