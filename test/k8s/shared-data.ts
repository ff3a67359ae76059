/**
 * Where `../shared/data` is: beside the repository's main checkout. In a git worktree that is
 * beside the checkout the worktree belongs to (found through `.git` → gitdir → commondir), so a
 * worktree reads the same folder as the main checkout. Undefined when the folder is absent (a
 * user's fresh clone has none).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dirname, "../..");

function mainCheckout(root: string): string {
  const dotGit = join(root, ".git");
  if (!existsSync(dotGit) || statSync(dotGit).isDirectory()) return root;
  const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
  if (gitdir === undefined) return root;
  const worktreeGitDir = resolve(root, gitdir);
  const commondirFile = join(worktreeGitDir, "commondir");
  const commonGitDir = existsSync(commondirFile) ? resolve(worktreeGitDir, readFileSync(commondirFile, "utf8").trim()) : worktreeGitDir;
  return dirname(commonGitDir);
}

export function sharedDataDir(): string | undefined {
  const dir = resolve(mainCheckout(repoRoot), "../shared/data");
  return existsSync(dir) ? dir : undefined;
}
