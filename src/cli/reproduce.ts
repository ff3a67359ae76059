/** The command that reruns one (variant, seed) exactly, as printed by run, compare and failures. */

/** Quotes for a POSIX shell unless the text is made only of characters no shell treats specially. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `npx kubetwin run FILE --seed N --variant NAME [--steps-max N]`, every argument shell-quoted. */
export function reproduceCommand(scenarioFile: string, seed: number, variant: string, stepsMax?: number): string {
  const limit = stepsMax !== undefined ? ` --steps-max ${stepsMax}` : "";
  return `npx kubetwin run ${shellQuote(scenarioFile)} --seed ${seed} --variant ${shellQuote(variant)}${limit}`;
}
