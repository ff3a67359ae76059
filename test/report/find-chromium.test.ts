/**
 * The browser the report tests use when the machine has none: the one inside the devDependency
 * @sparticuz/chromium, unpacked once into a private folder, safely when two processes race.
 */
import { accessSync, constants, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findChromium } from "./find-chromium.ts";

const cacheDir = mkdtempSync(join(tmpdir(), "kubetwin-find-chromium-"));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe("findChromium", () => {
  it("prefers KUBETWIN_CHROMIUM, and refuses one that does not exist", async () => {
    const self = process.execPath;
    expect(await findChromium({ fromEnv: self, systemPath: "/nonexistent/chromium", cacheDir })).toEqual({ executablePath: self, source: "KUBETWIN_CHROMIUM", env: {} });
    await expect(findChromium({ fromEnv: "/nonexistent/chromium", systemPath: self, cacheDir })).rejects.toThrow(/KUBETWIN_CHROMIUM names \/nonexistent\/chromium/);
  });

  it("takes the system's Chromium when it exists", async () => {
    const found = await findChromium({ fromEnv: undefined, systemPath: process.execPath, cacheDir });
    expect(found.source).toBe("system");
  });

  it("otherwise unpacks the bundled one once, complete, even when two callers race", async () => {
    const search = { fromEnv: undefined, systemPath: "/nonexistent/chromium", cacheDir };
    const [a, b] = await Promise.all([findChromium(search), findChromium(search)]);
    expect(a).toEqual(b);
    expect(a.source).toMatch(/^@sparticuz\/chromium \d+\.\d+\.\d+$/);
    accessSync(a.executablePath, constants.X_OK);
    expect(statSync(a.executablePath).size).toBeGreaterThan(50_000_000);
    expect(statSync(a.env.FONTCONFIG_FILE as string).isFile()).toBe(true);
    // one finished folder, no staging folder left behind
    expect(readdirSync(cacheDir)).toEqual([a.executablePath.split("/").at(-2)]);
    const again = await findChromium(search);
    expect(again).toEqual(a);
  }, 120_000);
});

describe("findChromium after a temporary-file cleaner", () => {
  it("unpacks again when the binary went missing from the unpacked folder", async () => {
    const search = { fromEnv: undefined, systemPath: "/nonexistent/chromium", cacheDir };
    const first = await findChromium(search);
    rmSync(first.executablePath);
    const again = await findChromium(search);
    expect(again.executablePath).toBe(first.executablePath);
    accessSync(again.executablePath, constants.X_OK);
  }, 120_000);
});
