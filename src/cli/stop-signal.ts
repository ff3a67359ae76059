/**
 * SIGINT and SIGTERM as a stop request that a run reads between two events. The request lives in
 * a SharedArrayBuffer, so compare's worker threads (which cannot hear signals) see it too: each
 * stops its run at the next event boundary, flushes it and marks it `interrupted`. A second
 * signal does not wait: the process ends at once (its run is then reported `incomplete`).
 */
import { exitInterrupted, type StopSignal } from "./exit-codes.ts";

const signalNumbers: Record<StopSignal, number> = { SIGINT: 2, SIGTERM: 15 };

export class StopRequest {
  /** One int32: 0, or the number of the signal that asked to stop. */
  readonly buffer: SharedArrayBuffer;
  private readonly cell: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.buffer = buffer;
    this.cell = new Int32Array(buffer);
  }

  request(signal: StopSignal): void {
    Atomics.compareExchange(this.cell, 0, 0, signalNumbers[signal]);
  }

  /** The signal that asked to stop, if any. */
  requested(): StopSignal | undefined {
    const n = Atomics.load(this.cell, 0);
    return n === 0 ? undefined : n === signalNumbers.SIGINT ? "SIGINT" : "SIGTERM";
  }
}

/**
 * While fn runs, SIGINT and SIGTERM request a stop (the first) or end the process (the second).
 * Outside fn the signals keep their default: nothing is being written, so nothing needs marking.
 */
export async function whileStoppable<T>(stop: StopRequest, fn: () => Promise<T>): Promise<T> {
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = () => {
      if (stop.requested() !== undefined) process.exit(exitInterrupted[signal]);
      stop.request(signal);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  try {
    return await fn();
  } finally {
    for (const off of handlers) off();
  }
}
