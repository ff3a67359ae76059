/** Quantities back to Kubernetes strings for messages (cpu millicores, bytes, plain counts). */
import { formatBytes, formatCpuMilli } from "../../model/units.ts";

/** The resource behind a quota or limit name ("requests.cpu" → "cpu"). */
export function baseResource(name: string): string {
  return name.replace(/^(requests|limits)\./, "");
}

export function formatQuantity(name: string, value: number): string {
  const base = baseResource(name);
  if (base === "cpu") return formatCpuMilli(value);
  if (base === "memory" || base === "ephemeral-storage" || base === "storage" || base.startsWith("hugepages-")) return formatBytes(value);
  return String(value);
}
