/**
 * A CronJob's schedule is read on the twin's clock, which starts at 1970-01-01T00:00:00Z. A
 * SimKube trace's time zero is put at the start of a minute, so an every-minute schedule fires at
 * the same second of the minute as in the trace; any schedule that names minutes, hours or days
 * fires at other wall-clock moments. A KWOK recording has no wall-clock time at all. Either way a
 * warning says so; `@every` schedules count from the CronJob's creation and keep their phase.
 */
import { isJsonObject, type JsonObject } from "./plain-json.ts";

export type RecordingClock = { kind: "minute-aligned"; originS: number } | { kind: "relative" };

export function cronPhaseWarnings(objects: ReadonlyMap<string, JsonObject>, clock: RecordingClock): string[] {
  const warnings: string[] = [];
  for (const object of objects.values()) {
    if (object.kind !== "CronJob" || !isJsonObject(object.spec) || typeof object.spec.schedule !== "string") continue;
    const schedule = object.spec.schedule.trim();
    if (schedule.startsWith("@every ")) continue;
    const everyMinute = /^\*(\s+\*){4}$/.test(schedule);
    if (clock.kind === "minute-aligned" && everyMinute) continue;
    const meta = isJsonObject(object.metadata) ? object.metadata : {};
    const name = `${typeof meta.namespace === "string" ? meta.namespace : "default"}/${String(meta.name)}`;
    const why = clock.kind === "relative" ? "the recording holds no wall-clock time" : `time zero is unix ${clock.originS}, which the twin's clock counts from 1970-01-01T00:00:00Z`;
    warnings.push(`CronJob ${name}: schedule ${JSON.stringify(schedule)} runs on the twin's clock (${why}): its Jobs start at other moments than recorded`);
  }
  return warnings;
}
