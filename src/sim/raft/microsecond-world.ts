/**
 * A Raft group in a world whose engine time unit is one microsecond. The engine's time is an
 * integer, so a millisecond world cannot hold a 0.1 ms LAN hop (it rounds to 0 or 1 ms) and makes
 * timers that fire "at about the same time" fire at exactly the same time. The group's code is
 * unit-free, so scaling every duration in its parameters is all it takes; fields keep their *Ms
 * names but then hold µs. Only for standalone groups (RaftStore's client timeouts stay in ms).
 */
import type { DiskParams } from "./disk.ts";
import type { HostElectionTimeout } from "./host-election-timeout.ts";
import type { LinkParams } from "./network.ts";
import type { RaftGroupParams } from "./raft-group.ts";

export const MICROS_PER_MS = 1000;

/** The same group with every duration (given in ms, fractions allowed) converted to whole µs. */
export function inMicroseconds(params: RaftGroupParams): RaftGroupParams {
  return {
    ...params,
    tickMs: toMicros(params.tickMs),
    link: linkInMicros(params.link),
    disk: diskInMicros(params.disk),
    hostElectionTimeoutMs: params.hostElectionTimeoutMs === null ? null : timeoutInMicros(params.hostElectionTimeoutMs),
  };
}

function linkInMicros(link: LinkParams): LinkParams {
  return {
    ...link,
    latencyMedianMs: link.latencyMedianMs * MICROS_PER_MS,
    latencyMsMin: toMicros(link.latencyMsMin),
    latencyMsMax: toMicros(link.latencyMsMax),
    reorderDelayMsMax: toMicros(link.reorderDelayMsMax),
  };
}

function diskInMicros(disk: DiskParams): DiskParams {
  return {
    ...disk,
    fsyncMedianMs: disk.fsyncMedianMs * MICROS_PER_MS,
    fsyncMsMin: toMicros(disk.fsyncMsMin),
    fsyncMsMax: toMicros(disk.fsyncMsMax),
  };
}

function timeoutInMicros(timeout: HostElectionTimeout): HostElectionTimeout {
  const scaled: HostElectionTimeout = { minMs: toMicros(timeout.minMs), maxMs: toMicros(timeout.maxMs) };
  if (timeout.drawStepMs !== undefined) scaled.drawStepMs = toMicros(timeout.drawStepMs);
  if (timeout.wakeDelayMsMax !== undefined) scaled.wakeDelayMsMax = toMicros(timeout.wakeDelayMsMax);
  return scaled;
}

function toMicros(ms: number): number {
  return Math.round(ms * MICROS_PER_MS);
}
