/**
 * Why an input cannot be imported: where (a path into the trace or recording, or a byte offset
 * in the message) and what was expected. Shown like a scenario error (`file: path: message`);
 * the CLI makes it bad input (exit 2), and nothing is written.
 */
import { formatPath, formatScenarioError, type Segment } from "../scenario/error.ts";

export interface ImportProblem {
  path: Segment[];
  message: string;
}

export type Imported<T> = { ok: true; value: T } | { ok: false; problem: ImportProblem };

export function failAt<T>(path: Segment[], message: string): Imported<T> {
  return { ok: false, problem: { path, message } };
}

export function formatImportProblem(file: string, p: ImportProblem): string {
  return formatScenarioError({ file, path: formatPath(p.path), message: p.message });
}
