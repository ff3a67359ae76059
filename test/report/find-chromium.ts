/**
 * Which Chromium the report tests and the bench drive, in this order: KUBETWIN_CHROMIUM, the
 * system's /usr/bin/chromium, then the Chromium that the devDependency @sparticuz/chromium ships
 * inside its package (so `npm ci && npm test` needs no browser on the machine). The bundled one is
 * unpacked once into <tmp>/kubetwin-chromium-<version>/ (a private directory, renamed into place
 * only when complete, so parallel test processes never start a half-written binary).
 */
import { existsSync, mkdtempSync, renameSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface ChromiumFound {
  executablePath: string;
  /** Where it came from, for messages: "KUBETWIN_CHROMIUM", "system", "@sparticuz/chromium 153.0.0". */
  source: string;
  /** Extra environment for the browser process (the bundled fonts' fontconfig file). */
  env: Record<string, string>;
}

export interface ChromiumSearch {
  fromEnv: string | undefined;
  systemPath: string;
  /** Where the bundled Chromium is unpacked (a kubetwin-chromium-<version> folder inside). */
  cacheDir: string;
}

const bundledPackage = "@sparticuz/chromium";

export const defaultChromiumSearch = (): ChromiumSearch => ({
  fromEnv: process.env.KUBETWIN_CHROMIUM,
  systemPath: "/usr/bin/chromium",
  cacheDir: tmpdir(),
});

export async function findChromium(search: ChromiumSearch = defaultChromiumSearch()): Promise<ChromiumFound> {
  const { fromEnv, systemPath } = search;
  if (fromEnv !== undefined && fromEnv !== "") {
    // an explicit choice that is wrong is an error, not a reason to pick another browser
    if (!existsSync(fromEnv)) throw new Error(`KUBETWIN_CHROMIUM names ${fromEnv}, which does not exist.`);
    return { executablePath: fromEnv, source: "KUBETWIN_CHROMIUM", env: {} };
  }
  if (existsSync(systemPath)) return { executablePath: systemPath, source: "system", env: {} };
  try {
    return await unpackBundledChromium(search.cacheDir);
  } catch (e) {
    throw new Error(
      `No Chromium for the report browser tests: KUBETWIN_CHROMIUM is not set, ${systemPath} does not exist, ` +
        `and the bundled one (${bundledPackage}, a devDependency: run \`npm ci\`) could not be unpacked: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

async function unpackBundledChromium(cacheDir: string): Promise<ChromiumFound> {
  const packageDir = dirname(dirname(fileURLToPath(import.meta.resolve(bundledPackage))));
  const version = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }).version;
  const target = join(cacheDir, `kubetwin-chromium-${version}`);
  const found = (): ChromiumFound => ({
    executablePath: join(target, "chromium"),
    source: `${bundledPackage} ${version}`,
    env: { FONTCONFIG_FILE: join(target, "fonts.conf") },
  });
  const ready = () => existsSync(join(target, "complete")) && existsSync(join(target, "chromium"));
  if (ready()) return found();
  // a folder a temporary-file cleaner emptied in part: unpack it again (a folder renamed into place
  // by another process is complete the moment it exists, so this never removes a good one)
  if (existsSync(target) && !ready()) rmSync(target, { recursive: true, force: true });
  const staging = mkdtempSync(join(cacheDir, `kubetwin-chromium-${version}-staging-`));
  try {
    await extractInto(staging);
    // the package's fonts.conf names its serverless font folders; ours names where they really are
    writeFileSync(
      join(staging, "fonts.conf"),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
        `  <dir>${join(target, "fonts")}</dir>\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${join(target, "fonts-cache")}</cachedir>\n</fontconfig>\n`,
    );
    writeFileSync(join(staging, "complete"), `${version}\n`);
    renameSync(staging, target);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    // another process may have finished first: its directory is as good as ours
    if (ready()) return found();
    throw e;
  }
  return found();
}

/**
 * The package unpacks into os.tmpdir(); pointing TMPDIR at the staging directory keeps it out of
 * the shared /tmp (where a stale or half-written /tmp/chromium from someone else would be taken as
 * is). The package reads tmpdir() only in the synchronous part of executablePath(), so TMPDIR is
 * restored before the first await and nothing else ever sees it changed.
 */
async function extractInto(staging: string): Promise<void> {
  const { default: chromium } = await import("@sparticuz/chromium");
  chromium.setGraphicsMode = false; // canvas 2D only: no WebGL, so the SwiftShader libraries are not needed
  const savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  let unpacking: Promise<string>;
  try {
    unpacking = chromium.executablePath();
  } finally {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
  }
  const path = await unpacking;
  if (path !== join(staging, "chromium")) throw new Error(`unpacked to ${path}, expected ${join(staging, "chromium")}`);
}
