/**
 * What the summary tells about Deployment rollouts: per Deployment that changed its template (or
 * was paused), its revision at the end, how many template changes and undos it saw, when its
 * Progressing condition reported ProgressDeadlineExceeded and when a rollout last completed
 * (NewReplicaSetAvailable), and its Progressing reason at the end. Fed every applied event by the
 * run observer, from the Deployment controller's own status writes.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { ClusterState } from "../../model/state.ts";
import type { Ms } from "../../model/units.ts";
import { revisionOf } from "../../policies/controllers/deployment-history.ts";
import { conditionOf, newReplicaSetAvailableReason, timedOutReason } from "../../policies/controllers/deployment-status.ts";
import type { DeploymentRollouts } from "../../log/summary-sections.ts";
export type { DeploymentRollouts };


export class RolloutObservations {
  private readonly byDeployment = new Map<string, Omit<DeploymentRollouts, "revision" | "progressingAtEnd">>();

  /** Called after `event` was applied to `state`. */
  onApplied(event: ClusterEvent, atMs: Ms): void {
    if (event.kind === "DeploymentTemplateChanged") this.of(event.key).templateChanges++;
    else if (event.kind === "DeploymentPauseChanged" && event.paused) this.of(event.key).pauses++;
    else if (event.kind === "DeploymentStatusChanged") {
      const reason = conditionOf(event.status, "Progressing")?.reason ?? "";
      const previous = this.lastReason.get(event.key);
      this.lastReason.set(event.key, reason);
      const r = this.byDeployment.get(event.key);
      if (r === undefined || reason === previous) return;
      if (reason === timedOutReason) r.deadlineExceededAtMs.push(atMs);
      if (reason === newReplicaSetAvailableReason) r.lastCompletedAtMs = atMs;
    }
  }

  /** Progressing's last reason per Deployment, to see it change. */
  private readonly lastReason = new Map<string, string>();

  private of(key: string): Omit<DeploymentRollouts, "revision" | "progressingAtEnd"> {
    let r = this.byDeployment.get(key);
    if (r === undefined) {
      r = { deployment: key, templateChanges: 0, pauses: 0, deadlineExceededAtMs: [] };
      this.byDeployment.set(key, r);
    }
    return r;
  }

  /** Per Deployment that was rolled out or paused, by key; revision and Progressing from the final state. */
  summary(finalState: ClusterState): DeploymentRollouts[] {
    return [...this.byDeployment.keys()].sort().map((key) => {
      const d = finalState.deployments.get(key);
      const revision = d === undefined ? 0 : revisionOf(d);
      const progressingAtEnd = d === undefined ? "" : (conditionOf(d.status, "Progressing")?.reason ?? "");
      return { ...(this.byDeployment.get(key) as Omit<DeploymentRollouts, "revision" | "progressingAtEnd">), revision, progressingAtEnd };
    });
  }
}
