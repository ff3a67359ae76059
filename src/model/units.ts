/**
 * Integer units. Virtual time is integer milliseconds; cpu is millicores; memory and storage are
 * bytes. Kubernetes quantity strings and Go-style durations are parsed here, exactly, with BigInt
 * (edge code, never on the hot path).
 */
export type Ms = number;

const durationUnitsMs: Record<string, bigint> = { ms: 1n, s: 1000n, m: 60_000n, h: 3_600_000n };

/** "1h30m", "90s", "250ms", "1.5h" → integer ms; undefined when malformed or too large (see durationTooLarge). */
export function parseDurationMs(text: string): Ms | undefined {
  const ms = parseDurationBig(text);
  return ms !== undefined && ms <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(ms) : undefined;
}

/** A well-formed duration beyond what integer ms can hold exactly: "too large", not malformed. */
export function durationTooLarge(text: string): boolean {
  const ms = parseDurationBig(text);
  return ms !== undefined && ms > BigInt(Number.MAX_SAFE_INTEGER);
}

function parseDurationBig(text: string): bigint | undefined {
  const trimmed = text.trim();
  if (trimmed === "0") return 0n;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let totalMicro = 0n;
  let consumed = 0;
  for (let match = re.exec(trimmed); match; match = re.exec(trimmed)) {
    const [whole, digits = "", unit = ""] = match;
    const exact = decimal(digits);
    if (!exact) return undefined;
    totalMicro += (exact.mantissa * (durationUnitsMs[unit] ?? 0n) * 1000n) / 10n ** exact.scale;
    consumed += whole.length;
  }
  if (consumed === 0 || consumed !== trimmed.length) return undefined;
  return totalMicro / 1000n;
}

export function formatDurationMs(ms: Ms): string {
  if (ms === 0) return "0s";
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const) {
    const n = Math.trunc(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return sign + parts.join("");
}

interface Decimal {
  mantissa: bigint;
  scale: bigint;
}

function decimal(digits: string): Decimal | undefined {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(digits);
  if (!m || digits === "" || digits === ".") return undefined;
  const whole = m[1] ?? "";
  const frac = m[2] ?? "";
  return { mantissa: BigInt((whole + frac) || "0"), scale: BigInt(frac.length) };
}

const binarySuffix: Record<string, bigint> = {
  Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n,
};
const decimalSuffixExp: Record<string, number> = {
  n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18,
};

/** An exact quantity: value = num / den. */
interface Exact {
  num: bigint;
  den: bigint;
}

const quantityPattern = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/**
 * Why a quantity that did not convert failed, when it is well formed: its magnitude ("too large"
 * beyond safe integers or 10^30, "too small" below 10^-30). Undefined: it is malformed.
 */
export function quantityOutOfRange(text: string): "too large" | "too small" | undefined {
  const m = quantityPattern.exec(text.trim());
  if (!m) return undefined;
  const exponent = m[4];
  return exponent !== undefined && Number(exponent) < 0 ? "too small" : "too large";
}

function parseExact(text: string): Exact | undefined {
  const m = quantityPattern.exec(text.trim());
  if (!m) return undefined;
  const [, sign = "", digits = "", suffix = "", exponent] = m;
  const d = decimal(digits);
  if (!d) return undefined;
  let num = d.mantissa * (sign === "-" ? -1n : 1n);
  let den = 10n ** d.scale;
  if (suffix in binarySuffix) num *= binarySuffix[suffix] as bigint;
  else {
    const exp = exponent !== undefined ? Number(exponent) : (decimalSuffixExp[suffix] ?? 0);
    if (Math.abs(exp) > 30) return undefined;
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  }
  return { num, den };
}

function ceilDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  return num % den !== 0n && num > 0n ? q + 1n : q;
}

function toSafe(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : undefined;
}

/** Quantity in thousandths, rounded up as Kubernetes' MilliValue does ("250m" → 250, "2" → 2000). */
export function parseMilli(text: string): number | undefined {
  const q = parseExact(text);
  return q ? toSafe(ceilDiv(q.num * 1000n, q.den)) : undefined;
}

/** Quantity in base units, rounded up as Kubernetes' Value does ("2Gi" → 2147483648). */
export function parseUnits(text: string): number | undefined {
  const q = parseExact(text);
  return q ? toSafe(ceilDiv(q.num, q.den)) : undefined;
}

/** Parses a resource quantity into the twin's integer unit for that resource (cpu → millicores). */
export function parseResource(resource: string, text: string | number): number | undefined {
  const s = typeof text === "number" ? String(text) : text;
  return resource === "cpu" ? parseMilli(s) : parseUnits(s);
}

export function formatCpuMilli(milli: number): string {
  return milli % 1000 === 0 ? `${milli / 1000}` : `${milli}m`;
}

export function formatBytes(bytes: number): string {
  for (const [suffix, size] of [["Gi", 2 ** 30], ["Mi", 2 ** 20], ["Ki", 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return `${bytes}`;
}
