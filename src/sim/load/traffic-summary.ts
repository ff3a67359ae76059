/** A Service's traffic over the run as the summary shows it: counts, drops by cause, latency percentiles. */
import type { TrafficSummary } from "../../log/summary-sections.ts";
import type { ServiceTraffic } from "./load-actor.ts";

export type { TrafficSummary };

export function trafficSummaryOf(service: string, t: ServiceTraffic): TrafficSummary {
  const { latency, ...counts } = t;
  return { service, ...counts, ...(latency !== undefined ? { latency: latency.percentiles() } : {}) };
}
