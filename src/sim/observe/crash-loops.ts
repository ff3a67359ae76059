/**
 * What the summary tells about crashing containers, per workload: container exits (and which were
 * kills: liveness, startup probe, OOM), restarts, the longest CrashLoopBackOff wait, and how many
 * of its pods wait in CrashLoopBackOff at the end.
 * Fed every applied event by the run observer; the workload is workload-index.ts's. A Job's pod
 * ending Succeeded or Failed is no crash: its work is done (or given up), as the Jobs table says.
 */
import type { ClusterEvent, ContainerExitCause } from "../../model/cluster-event.ts";
import type { ClusterState } from "../../model/state.ts";
import type { Ms } from "../../model/units.ts";
import { controllerOf } from "../../policies/controllers/ownership.ts";
import { workloadOfPod } from "./workload-index.ts";
import type { WorkloadCrashLoops } from "../../log/summary-sections.ts";
export type { WorkloadCrashLoops };


export class CrashLoopObservations {
  private readonly byWorkload = new Map<string, WorkloadCrashLoops>();

  /** Called after `event` was applied to `state`. */
  onApplied(state: ClusterState, event: ClusterEvent): void {
    if (event.kind !== "ContainerExited" && event.kind !== "ContainerRestarted") return;
    const pod = state.pods.get(event.key);
    // A Job's pod that ran to its end finished its work (the summary's Jobs table counts it); its restarts still count here.
    if (event.kind === "ContainerExited" && event.phase !== "Running" && pod !== undefined && controllerOf(pod.metadata)?.kind === "Job") return;
    const workload = pod === undefined ? undefined : (workloadOfPod(state, pod) ?? event.key);
    if (workload === undefined) return;
    const w = this.of(workload);
    if (event.kind === "ContainerRestarted") w.restarts++;
    else {
      w.exits++;
      w.backOffMsMax = Math.max(w.backOffMsMax, event.backOffMs);
      if (event.cause !== undefined) {
        const kills = (w.kills ??= {});
        kills[event.cause] = (kills[event.cause] ?? 0) + 1;
      }
    }
  }

  private of(workload: string): WorkloadCrashLoops {
    let w = this.byWorkload.get(workload);
    if (w === undefined) {
      w = { workload, exits: 0, restarts: 0, backOffMsMax: 0, inCrashLoopBackOffAtEnd: 0 };
      this.byWorkload.set(workload, w);
    }
    return w;
  }

  /** Per workload that had a container exit, by key; the end counts come from the final state. */
  summary(finalState: ClusterState): WorkloadCrashLoops[] {
    const atEnd = new Map<string, number>();
    for (const [key, pod] of finalState.pods) {
      if (pod.status.waitingReason !== "CrashLoopBackOff" || pod.metadata.deletionMs !== undefined) continue;
      const workload = workloadOfPod(finalState, pod) ?? key;
      atEnd.set(workload, (atEnd.get(workload) ?? 0) + 1);
    }
    return [...this.byWorkload.keys()].sort().map((k) => ({ ...(this.byWorkload.get(k) as WorkloadCrashLoops), inCrashLoopBackOffAtEnd: atEnd.get(k) ?? 0 }));
  }
}
