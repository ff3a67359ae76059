/** A Service's traffic over the run as the summary shows it: counts, drops by cause, latency percentiles. */
import type { LatencyPercentiles } from "./latency-histogram.ts";
import type { ServiceTraffic } from "./load-actor.ts";

export interface TrafficSummary {
  service: string;
  offeredRequests: number;
  servedRequests: number;
  droppedRequests: number;
  /** Dropped because no ready endpoint took them (or the pod holding them stopped). */
  droppedNoEndpointRequests: number;
  /** Dropped because the pod's queue was full. */
  droppedSaturatedRequests: number;
  /** Latency of the requests served, for a load with queueing (absent without). */
  latency?: LatencyPercentiles;
}

export function trafficSummaryOf(service: string, t: ServiceTraffic): TrafficSummary {
  const { latency, ...counts } = t;
  return { service, ...counts, ...(latency !== undefined ? { latency: latency.percentiles() } : {}) };
}
