/** core/v1 ContainerStatus as the Pod codec reads and writes it (pod.ts, init-container-statuses.ts). */
import { Schema } from "effect";
import { opt } from "./fields.ts";
import { Timestamp } from "./time.ts";

const Terminated = Schema.Struct({ exitCode: Schema.Int, reason: opt(Schema.String) });

/** core/v1 ContainerStatus: what the twin keeps of it (a state, the last termination, restarts). */
export const ContainerStatusWire = Schema.Struct({
  name: Schema.String,
  ready: opt(Schema.Boolean),
  started: opt(Schema.Boolean),
  restartCount: opt(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
  state: opt(
    Schema.Struct({
      waiting: opt(Schema.Struct({ reason: opt(Schema.String) })),
      running: opt(Schema.Struct({ startedAt: opt(Timestamp) })),
      terminated: opt(Terminated),
    }),
  ),
  lastState: opt(Schema.Struct({ terminated: opt(Terminated) })),
});
export type ContainerStatusWire = typeof ContainerStatusWire.Type;
