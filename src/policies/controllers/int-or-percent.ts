/**
 * An int-or-percent field (maxSurge, maxUnavailable, minAvailable) scaled against a total, as
 * apimachinery's intstr.GetScaledValueFromIntOrPercent does: a count is itself; "p%" is
 * p·total/100 rounded up or down as the caller asks (maxSurge and minAvailable round up,
 * maxUnavailable rounds down).
 */
import { assert } from "../../model/assert.ts";

export function scaledValue(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  assert(/^\d+%$/.test(value), `int-or-percent "${value}" is neither a count nor a percentage`);
  const exact = Number(value.slice(0, -1)) * total;
  return roundUp ? Math.ceil(exact / 100) : Math.floor(exact / 100);
}
