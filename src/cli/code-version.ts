/** The code version recorded with every run: package version plus git commit when available. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

let cached: string | undefined;

export function codeVersion(): string {
  if (cached !== undefined) return cached;
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  let commit = "";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: new URL("../..", import.meta.url), stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    commit = "";
  }
  cached = commit ? `${pkg.version}+${commit}` : pkg.version;
  return cached;
}
