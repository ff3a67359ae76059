/**
 * Bad input to a report: a missing or foreign database, an unknown run or comparison id, a stored
 * result that is not what `compare --json` prints. The CLI exits 2 on it; nothing is written.
 */
export class ReportInputError extends Error {
  readonly _tag = "ReportInputError";
  override name = "ReportInputError";
}
