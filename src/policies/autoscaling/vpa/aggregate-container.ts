/**
 * What the VPA recommender remembers of one container (of all pods a VPA targets, by container
 * name), as upstream's model/aggregate_container_state.go and model/container.go with the
 * defaults of model/aggregations_config.go: a decaying histogram of CPU usage (every sample the
 * same weight, 0.1; half-life 24 h) and one of memory peaks (the peak of each 24-hour window,
 * weight 1; half-life 24 h), plus the first and last CPU sample times and the sample count the
 * confidence of the bounds is computed from. An OOM kill adds a peak of max(used + 100 MiB,
 * used × 1.2). CPU in cores, memory in bytes, times in virtual ms.
 */
import type { Ms } from "../../../model/units.ts";
import { DecayingHistogram } from "./histogram.ts";
import { exponentialHistogramOptions } from "./histogram-options.ts";

const hourMs = 3_600_000;
const minSampleWeight = 0.1;
const epsilon = 0.001 * minSampleWeight;
const bucketSizeGrowth = 0.05;
export const memoryAggregationIntervalMs = 24 * hourMs;
const halfLifeMs = 24 * hourMs;
export const oomBumpUpRatio = 1.2;
export const oomMinBumpUpBytes = 100 * 1024 * 1024;

export const cpuHistogramOptions = exponentialHistogramOptions(1000, 0.01, 1 + bucketSizeGrowth, epsilon);
export const memoryHistogramOptions = exponentialHistogramOptions(1e12, 1e7, 1 + bucketSizeGrowth, epsilon);

export class AggregateContainer {
  readonly cpu = new DecayingHistogram(cpuHistogramOptions, halfLifeMs);
  readonly memoryPeaks = new DecayingHistogram(memoryHistogramOptions, halfLifeMs);
  firstSampleMs: Ms | undefined;
  lastSampleMs: Ms | undefined;
  samples = 0;

  addCpu(cores: number, atMs: Ms): void {
    this.cpu.addSample(cores, minSampleWeight, atMs);
    if (this.lastSampleMs === undefined || atMs > this.lastSampleMs) this.lastSampleMs = atMs;
    if (this.firstSampleMs === undefined || atMs < this.firstSampleMs) this.firstSampleMs = atMs;
    this.samples++;
  }
}

/**
 * One running container's memory window (model/container.go addMemorySample): within a window
 * only a new maximum replaces the window's peak in the aggregate; a sample past the window's end
 * opens the next window (aligned to whole intervals) with itself as the peak.
 */
export class ContainerWindow {
  private readonly aggregate: AggregateContainer;
  private lastCpuMs: Ms | undefined;
  private lastMemoryMs: Ms | undefined;
  private windowEndMs: Ms | undefined;
  private memoryPeakBytes = 0;
  private oomPeakBytes = 0;

  constructor(aggregate: AggregateContainer) {
    this.aggregate = aggregate;
  }

  /** Duplicate or out-of-order samples are dropped, as upstream; returns whether it counted. */
  addCpu(cores: number, atMs: Ms): boolean {
    if (cores < 0 || (this.lastCpuMs !== undefined && atMs <= this.lastCpuMs)) return false;
    this.aggregate.addCpu(cores, atMs);
    this.lastCpuMs = atMs;
    return true;
  }

  addMemory(bytes: number, atMs: Ms): boolean {
    return this.memorySample(bytes, atMs, false);
  }

  /** An OOM kill of a container that had `requestedBytes` (model/container.go RecordOOM). */
  recordOom(atMs: Ms, requestedBytes: number): boolean {
    if (this.lastMemoryMs !== undefined && atMs < this.lastMemoryMs - memoryAggregationIntervalMs) return false;
    const used = Math.max(requestedBytes, this.memoryPeakBytes);
    const needed = Math.max(used + oomMinBumpUpBytes, Math.trunc(used * oomBumpUpRatio));
    return this.memorySample(needed, atMs, true);
  }

  private memorySample(bytes: number, atMs: Ms, oom: boolean): boolean {
    if (bytes < 0 || (!oom && this.lastMemoryMs !== undefined && atMs < this.lastMemoryMs)) return false;
    this.lastMemoryMs = atMs;
    if (this.windowEndMs === undefined) this.windowEndMs = atMs;
    let addPeak = false;
    if (atMs < this.windowEndMs) {
      const oldMax = Math.max(this.memoryPeakBytes, this.oomPeakBytes);
      if (oldMax !== 0 && bytes > oldMax) {
        this.aggregate.memoryPeaks.subtractSample(oldMax, 1, this.windowEndMs);
        addPeak = true;
      }
    } else {
      const interval = memoryAggregationIntervalMs;
      this.windowEndMs += Math.floor((atMs - this.windowEndMs) / interval) * interval + interval;
      this.memoryPeakBytes = 0;
      this.oomPeakBytes = 0;
      addPeak = true;
    }
    if (addPeak) {
      this.aggregate.memoryPeaks.addSample(bytes, 1, this.windowEndMs);
      if (oom) this.oomPeakBytes = bytes;
      else this.memoryPeakBytes = bytes;
    }
    return true;
  }
}
