/**
 * status.initContainerStatuses ↔ the model's init account (PodStatus.init): the init containers
 * before `done` exited 0 (a sidecar among them runs, started), the one at `done` runs, waits out
 * its back-off or (a failed pod) ended, those after wait PodInitializing — what kubectl's printPod
 * (pkg/printers/internalversion/printers.go) turns into Init:N/M, Init:CrashLoopBackOff or
 * Init:Error. Restarts and the last failure are on the current one.
 */
import type { Container, InitStatus, PodStatus } from "../model/objects.ts";
import type { ContainerStatusWire } from "./container-status.ts";

const initializing = "PodInitializing";

export function initContainerStatusesOf(initContainers: readonly Container[], s: PodStatus): ContainerStatusWire[] {
  const n = initContainers.length;
  const init: InitStatus = s.init ?? { done: 0 };
  // Once the app containers started, every init container is done.
  const done = s.phase === "Running" || s.phase === "Succeeded" ? n : Math.min(init.done, n);
  const current = Math.min(done, n - 1);
  const last = init.lastExitCode === undefined ? undefined : { exitCode: init.lastExitCode, reason: "Error" };
  return initContainers.map((c, i): ContainerStatusWire => {
    const sidecar = c.restartPolicy === "Always";
    const failed = i === done && s.phase === "Failed" && last !== undefined;
    const state: NonNullable<ContainerStatusWire["state"]> =
      i < done ? (sidecar ? { running: {} } : { terminated: { exitCode: 0, reason: "Completed" } })
      : failed ? { terminated: last }
      : i === done && init.waitingReason !== undefined ? { waiting: { reason: init.waitingReason } }
      : i === done && init.running === true ? { running: {} }
      : { waiting: { reason: initializing } };
    return {
      name: c.name,
      ready: i < done && sidecar,
      restartCount: i === current ? (init.restartCount ?? 0) : 0,
      state,
      ...(sidecar && i < done ? { started: true } : {}),
      ...(i === current && !failed && last !== undefined ? { lastState: { terminated: last } } : {}),
    };
  });
}

/** The inverse: done counts the leading init containers that exited 0 or (sidecars) started. */
export function initStatusOf(initContainers: readonly Container[], list: readonly ContainerStatusWire[]): InitStatus | undefined {
  if (list.length === 0) return undefined;
  const init: InitStatus = { done: 0 };
  let restarts = 0;
  let counting = true;
  for (const [i, w] of list.entries()) {
    restarts += w.restartCount ?? 0;
    const ended = w.state?.terminated;
    const last = ended !== undefined && ended.exitCode !== 0 ? ended : w.lastState?.terminated;
    if (last !== undefined && last.exitCode !== 0 && init.lastExitCode === undefined) init.lastExitCode = last.exitCode;
    const sidecar = initContainers[i]?.restartPolicy === "Always";
    if (counting && (sidecar ? w.started === true : w.state?.terminated?.exitCode === 0)) {
      init.done = i + 1;
      continue;
    }
    if (!counting) continue;
    counting = false;
    const waiting = w.state?.waiting?.reason;
    if (waiting !== undefined && waiting !== initializing) init.waitingReason = waiting;
    if (w.state?.running !== undefined) init.running = true;
  }
  if (restarts > 0) init.restartCount = restarts;
  return init;
}
