/** The kubetwin command's exit codes, one meaning each. */
export const exitOk = 0;
export const exitExpectationFailed = 1;
export const exitBadInput = 2;
export const exitInvariantBroken = 3;

/** Bad input from the user: printed as one message, exit code 2, nothing written. */
export class UsageError extends Error {
  override name = "UsageError";
}
