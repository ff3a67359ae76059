/** The command that reruns one (variant, seed) exactly, as printed by run, compare and failures. */

/** Quotes for a POSIX shell unless the text is made only of characters no shell treats specially. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * `npx kubetwin run FILE --seed N --variant NAME [--steps-max N] [load flags]` (or `--from-log DB --run ID`
 * in place of FILE), every argument
 * shell-quoted; the load flags (--allow-outside-paths, raised --limit) load the scenario as the run did.
 */
export function reproduceCommand(source: readonly string[], seed: number, variant: string, stepsMax?: number, loadFlags: readonly string[] = []): string {
  const limit = stepsMax !== undefined ? ` --steps-max ${stepsMax}` : "";
  const flags = loadFlags.map((f) => ` ${shellQuote(f)}`).join("");
  return `npx kubetwin run ${source.map(shellQuote).join(" ")} --seed ${seed} --variant ${shellQuote(variant)}${limit}${flags}`;
}
