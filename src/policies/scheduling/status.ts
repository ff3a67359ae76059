/**
 * Framework status codes as values (kube-scheduler's framework.Status): expected negatives are
 * data, never exceptions. A Status names the plugin that produced it and upstream's reason strings.
 */
export type Code = "Success" | "Unschedulable" | "UnschedulableAndUnresolvable" | "Skip" | "Error";

export interface Status {
  readonly code: Code;
  readonly reasons: readonly string[];
  readonly plugin: string;
}

const noReasons: readonly string[] = Object.freeze([]);

/** The one shared success value: filters return it without allocating. */
export const SUCCESS: Status = Object.freeze({ code: "Success", reasons: noReasons, plugin: "" });

export function status(code: Code, plugin: string, ...reasons: string[]): Status {
  return { code, plugin, reasons };
}

export function skip(plugin: string): Status {
  return { code: "Skip", plugin, reasons: noReasons };
}

export function isRejection(s: Status): boolean {
  return s.code === "Unschedulable" || s.code === "UnschedulableAndUnresolvable";
}

/** True when the code lets the pod continue (Success, or the plugin opted out with Skip). */
export function passes(s: Status): boolean {
  return s.code === "Success" || s.code === "Skip";
}
