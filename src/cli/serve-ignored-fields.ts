/**
 * What a write sent that the twin does not keep (the codec's model has no place for it): named by
 * path in Warning headers, as the API server warns about unknown fields under fieldValidation=Warn,
 * so nothing a user wrote is dropped silently.
 */
type Json = Record<string, unknown>;

/** Kept by the server or by kubectl for itself: never worth a warning. */
const notWarned = new Set(["status", "metadata.managedFields", "metadata.resourceVersion", "metadata.selfLink", "metadata.generateName"]);

/**
 * The paths of `sent` that `kept` (the object as the codec keeps it) has not: what the twin ignores.
 * Only missing keys count (a value written differently, "0.5" for "500m", is the same value).
 */
export function ignoredFields(sent: unknown, kept: unknown, path = ""): string[] {
  if (Array.isArray(sent)) {
    if (!Array.isArray(kept)) return [];
    return sent.flatMap((item, i) => ignoredFields(item, kept[i], `${path}[${i}]`));
  }
  if (sent === null || typeof sent !== "object" || kept === null || typeof kept !== "object" || Array.isArray(kept)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(sent as Json)) {
    const at = path === "" ? k : `${path}.${k}`;
    if (notWarned.has(at) || isZero(v)) continue; // a zero value left out is no information lost
    if (!(k in (kept as Json))) out.push(at);
    else out.push(...ignoredFields(v, (kept as Json)[k], at));
  }
  return out;
}

function isZero(v: unknown): boolean {
  if (v === null || v === false || v === 0 || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === "object" && Object.keys(v as object).length === 0;
}

const ignoredMax = 10;

export function warningsOf(sent: unknown, kept: unknown): string[] {
  const ignored = ignoredFields(sent, kept);
  const shown = ignored.slice(0, ignoredMax).map((f) => `the twin does not model field "${f}": ignored`);
  return ignored.length > ignoredMax ? [...shown, `and ${ignored.length - ignoredMax} more fields ignored`] : shown;
}
