/**
 * How containers behave is scenario data (spec.containerBehavior): which pods a rule matches
 * (namespace, pod labels, a container image), how long a started container takes to become
 * Ready, and whether it exits after running a while (a crash at start is an exit after 0 s). The
 * first matching rule wins; a pod no rule matches behaves as before (Ready after readinessDelay,
 * never exits). Times are drawn per container start from the kubelet's exogenous stream, so no
 * policy shifts them and two variants of one seed see the same containers.
 */
import type { Labels, Pod } from "../../model/objects.ts";
import { assert } from "../../model/assert.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { FailingWindow, ProbeTiming } from "./probe-schedule.ts";
import type { MemoryPlan } from "./memory.ts";

/** A time drawn uniformly in [minMs, maxMs] (integer ms); min = max is a fixed time. */
export interface DurationRangeMs {
  minMs: Ms;
  maxMs: Ms;
}

export interface ContainerBehaviorPlan {
  /** As shown in messages (default: what it matches). */
  name: string;
  /** Pods of this namespace only (undefined: any). */
  namespace?: string;
  /** Pod labels that must all match ({}: any pod). */
  selector: Labels;
  /** Some container of the pod runs exactly this image (undefined: any). */
  image?: string;
  /**
   * Started → the app answers its probes (Ready then, or at the readiness probe's next passing
   * tick when the pod spec has one); "never": it never does. Undefined: readinessDelay.
   */
  readyAfter?: DurationRangeMs | "never";
  /** The container exits this long after each start, with this exit code. */
  exit?: { afterMs: DurationRangeMs; exitCode: number };
  /** Its readiness endpoint fails from `afterMs` after each start, for `forMs`; the probe notices (readiness-probe.ts). */
  readinessFailure?: { afterMs: DurationRangeMs; forMs: DurationRangeMs; probe: ProbeTiming };
  /** Its liveness endpoint fails from `afterMs` after each start, for `forMs` (undefined: until it is killed). */
  livenessFailure?: { afterMs: DurationRangeMs; forMs?: DurationRangeMs };
  /** The preStop hook of a deleted pod (or a probe-killed container) runs this long before SIGTERM (termination.ts). */
  preStop?: DurationRangeMs;
  /** The app exits this long after SIGTERM (undefined: about a second, log-normal). */
  stopAfter?: DurationRangeMs;
  /** Its memory working set (memory.ts): past the container's limit it is OOM-killed. */
  memory?: MemoryPlan;
}

/** What one container start will do: answer after readyMs (Infinity: never), exit after exitMs (undefined: never). */
export interface ContainerRun {
  readyMs: Ms;
  exit?: { afterMs: Ms; exitCode: number };
  /** Its readiness endpoint fails in [fromMs, toMs) after the start. */
  failing?: { fromMs: Ms; toMs: Ms; probe: ProbeTiming };
  /** Its liveness endpoint fails in [fromMs, toMs) after the start (toMs Infinity: for good). */
  livenessFailing?: FailingWindow;
}

export function behaviorOf(pod: Pod, rules: readonly ContainerBehaviorPlan[]): ContainerBehaviorPlan | undefined {
  for (const rule of rules) {
    if (rule.namespace !== undefined && rule.namespace !== pod.metadata.namespace) continue;
    if (!Object.entries(rule.selector).every(([k, v]) => pod.metadata.labels[k] === v)) continue;
    if (rule.image !== undefined && !pod.spec.containers.some((c) => c.image === rule.image)) continue;
    return rule;
  }
  return undefined;
}

/** A fixed range draws nothing, so adding a fixed rule leaves the stream of the others alone. */
export function drawMs(range: DurationRangeMs, prng: Prng): Ms {
  assert(range.minMs <= range.maxMs, `duration range ${range.minMs}..${range.maxMs} ms is empty`);
  return range.minMs === range.maxMs ? range.minMs : prng.int(range.minMs, range.maxMs + 1);
}

export function containerRunOf(rule: ContainerBehaviorPlan | undefined, readinessDelayMs: Ms, prng: Prng): ContainerRun {
  const after = rule?.readyAfter;
  const readyMs = after === undefined ? readinessDelayMs : after === "never" ? Infinity : drawMs(after, prng);
  const run: ContainerRun = { readyMs };
  if (rule?.exit !== undefined) run.exit = { afterMs: drawMs(rule.exit.afterMs, prng), exitCode: rule.exit.exitCode };
  const f = rule?.readinessFailure;
  if (f !== undefined) {
    const fromMs = drawMs(f.afterMs, prng);
    run.failing = { fromMs, toMs: fromMs + drawMs(f.forMs, prng), probe: f.probe };
  }
  const l = rule?.livenessFailure;
  if (l !== undefined) {
    const fromMs = drawMs(l.afterMs, prng);
    run.livenessFailing = { fromMs, toMs: l.forMs === undefined ? Infinity : fromMs + drawMs(l.forMs, prng) };
  }
  return run;
}
