/**
 * HPA conditions as upstream's setConditionInList: a condition keeps its place in the list, is
 * appended the first time it is set, and its lastTransitionTime changes only with its status.
 */
import type { HpaCondition, HpaConditionType } from "../../../model/autoscaling-objects.ts";
import type { ConditionStatus } from "../../../model/objects.ts";
import type { Ms } from "../../../model/units.ts";

export function setCondition(list: HpaCondition[], type: HpaConditionType, status: ConditionStatus, reason: string, message: string, nowMs: Ms): void {
  const existing = list.find((c) => c.type === type);
  if (existing === undefined) {
    list.push({ type, status, reason, message, lastTransitionMs: nowMs });
    return;
  }
  if (existing.status !== status) existing.lastTransitionMs = nowMs;
  existing.status = status;
  existing.reason = reason;
  existing.message = message;
}
