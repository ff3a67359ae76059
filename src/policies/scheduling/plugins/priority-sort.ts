/** PrioritySort (QueueSort): higher priority first, then the earlier queue timestamp, then key. */
import type { QueuedPodInfo, QueueSortPlugin } from "../framework.ts";

export const prioritySortName = "PrioritySort";

export function newPrioritySort(): QueueSortPlugin {
  return {
    name: prioritySortName,
    less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
      if (a.priority !== b.priority) return a.priority > b.priority;
      if (a.timestampMs !== b.timestampMs) return a.timestampMs < b.timestampMs;
      return a.key < b.key;
    },
  };
}
