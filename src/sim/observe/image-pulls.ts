/**
 * What the summary tells about image pulls: how many pods waited for one (ContainerCreating) and
 * how long — in all and the longest, with its image — and how many waited for an image their
 * `Never` pull policy does not let the kubelet pull (ErrImageNeverPull). Fed every applied event.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Ms } from "../../model/units.ts";

export interface ImagePullSummary {
  podsWaited: number;
  waitMsTotal: Ms;
  waitMsMax: Ms;
  /** The image of the longest wait. */
  longestImage: string;
  neverPulled: number;
}

export class ImagePullObservations {
  private readonly s: ImagePullSummary = { podsWaited: 0, waitMsTotal: 0, waitMsMax: 0, longestImage: "", neverPulled: 0 };

  onApplied(event: ClusterEvent): void {
    if (event.kind !== "ContainerWaiting") return;
    if (event.reason === "ErrImageNeverPull") {
      this.s.neverPulled++;
      return;
    }
    this.s.podsWaited++;
    this.s.waitMsTotal += event.pullMs;
    if (event.pullMs > this.s.waitMsMax) {
      this.s.waitMsMax = event.pullMs;
      this.s.longestImage = event.image;
    }
  }

  /** Undefined when no pod waited for an image. */
  summary(): ImagePullSummary | undefined {
    return this.s.podsWaited === 0 && this.s.neverPulled === 0 ? undefined : { ...this.s };
  }
}
