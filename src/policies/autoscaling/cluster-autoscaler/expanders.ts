/**
 * Expanders: which node group grows when several could help (upstream expander/*). Each one keeps
 * its best options (upstream's Filter form); a chain (--expander=priority,least-waste) narrows
 * them in turn and random picks among what is left, as upstream's chain falls back to random.
 *  - least-waste (expander/waste/waste.go): least (cpu capacity − requested)/capacity +
 *    (memory capacity − requested)/capacity over the new nodes;
 *  - most-pods (expander/mostpods): the most pods helped;
 *  - price: the least price per pod helped (node count × price per hour / pods). A simplification
 *    of expander/price/price.go, which also weighs the node's fit to a preferred node size;
 *  - priority (expander/priority/priority.go): the options whose group name matches a regular
 *    expression of the highest priority; when none matches, every option stays;
 *  - random (expander/random): one, drawn from the autoscaler's own prng stream.
 */
import type { Node, Pod } from "../../../model/objects.ts";
import type { Prng } from "../../../model/prng.ts";
import { podRequests } from "../../../model/resources.ts";
import type { ExpanderName } from "./options.ts";

export interface ScaleUpOption {
  group: string;
  nodeCount: number;
  pods: Pod[];
  template: Node;
  pricePerHour: number;
}

type Filter = (options: readonly ScaleUpOption[]) => ScaleUpOption[];

/** The options with the least `score` (exact ties kept, in their order). */
function least(options: readonly ScaleUpOption[], score: (o: ScaleUpOption) => number): ScaleUpOption[] {
  let best: ScaleUpOption[] = [];
  let bestScore = Infinity;
  for (const option of options) {
    const s = score(option);
    if (s < bestScore) {
      bestScore = s;
      best = [option];
    } else if (s === bestScore) best.push(option);
  }
  return best;
}

/** upstream waste.go: wasted fraction of cpu plus of memory over the option's new nodes (capacity). */
export function wasteScore(option: ScaleUpOption): number {
  let cpu = 0;
  let memory = 0;
  for (const pod of option.pods) {
    const r = podRequests(pod);
    cpu += r.cpu ?? 0;
    memory += r.memory ?? 0;
  }
  const capacity = option.template.status.capacity;
  const availCpu = (capacity.cpu ?? 0) * option.nodeCount;
  const availMemory = (capacity.memory ?? 0) * option.nodeCount;
  const wastedCpu = availCpu > 0 ? (availCpu - cpu) / availCpu : 0;
  const wastedMemory = availMemory > 0 ? (availMemory - memory) / availMemory : 0;
  return wastedCpu + wastedMemory;
}

export function pricePerPod(option: ScaleUpOption): number {
  return (option.nodeCount * option.pricePerHour) / Math.max(1, option.pods.length);
}

function priorityFilter(priorities: Record<string, string[]>): Filter {
  const levels = Object.keys(priorities)
    .map((p) => ({ priority: Number(p), patterns: (priorities[p] ?? []).map((r) => new RegExp(`^(?:${r})$`)) }))
    .sort((a, b) => b.priority - a.priority);
  return (options) => {
    for (const level of levels) {
      const matching = options.filter((o) => level.patterns.some((r) => r.test(o.group)));
      if (matching.length > 0) return matching;
    }
    return [...options];
  };
}

export function expanderFilter(name: ExpanderName, priorities: Record<string, string[]>): Filter {
  switch (name) {
    case "least-waste":
      return (options) => least(options, wasteScore);
    case "most-pods":
      return (options) => least(options, (o) => -o.pods.length);
    case "price":
      return (options) => least(options, pricePerPod);
    case "priority":
      return priorityFilter(priorities);
    case "random":
      return (options) => [...options];
  }
}

/** The chain's choice; options come in group-name order, so the draw depends only on them and the prng. */
export function bestOption(options: readonly ScaleUpOption[], chain: readonly ExpanderName[], priorities: Record<string, string[]>, prng: Prng): ScaleUpOption | undefined {
  let left = [...options];
  for (const name of chain) {
    if (left.length <= 1) break;
    left = expanderFilter(name, priorities)(left);
  }
  if (left.length <= 1) return left[0];
  return left[prng.int(0, left.length)];
}
