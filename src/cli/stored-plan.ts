/**
 * The plan a logged run was made from, as the log stores it: the scenario as loaded (every
 * variant still in it), before any variant is applied. `run --from-log` rebuilds a run from it
 * under any of its variants: the exogenous world (workloads, faults, load, container behaviour,
 * all drawn from the seed's world streams) is the recorded one, every decision is made afresh.
 *
 * The text is plain JSON in the plan's own key order (not canonical JSON: a plan read back must
 * iterate its maps exactly as the loaded one did, or the run would not be the same). The log
 * keys it by the digest of this text and checks the digest on every read.
 */
import type { ScenarioPlan } from "../sim/plan.ts";
import { IntegrityFailed } from "./exit-codes.ts";

export function encodeStoredPlan(plan: ScenarioPlan): string {
  return JSON.stringify(plan);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The fields every reader of a plan relies on at once; the rest is as the writer (this kubetwin's loader) made it. */
const planShape: readonly [string, (v: unknown) => boolean][] = [
  ["name", (v) => typeof v === "string"],
  ["sourceHash", (v) => typeof v === "string"],
  ["durationMs", (v) => Number.isSafeInteger(v)],
  ["seed", (v) => Number.isSafeInteger(v)],
  ["namespaces", Array.isArray],
  ["nodePools", Array.isArray],
  ["workloads", Array.isArray],
  ["faults", Array.isArray],
  ["expectations", Array.isArray],
  ["parameters", isObject],
  ["variants", isObject],
  ["warnings", Array.isArray],
];

/** `where` names the log and run in the message. */
export function decodeStoredPlan(text: string, where: string): ScenarioPlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new IntegrityFailed(`${where}: its stored plan is not valid JSON`);
  }
  if (!isObject(value)) throw new IntegrityFailed(`${where}: its stored plan is not an object`);
  for (const [field, ok] of planShape) if (!ok(value[field])) throw new IntegrityFailed(`${where}: its stored plan has no valid "${field}"`);
  return value as unknown as ScenarioPlan;
}
