import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runScript } from "./script.ts";

const dir = join(import.meta.dirname, "testdata");
const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();
const update = process.env["UPDATE_GOLDEN"] === "1";

describe("raft interaction scripts (golden)", () => {
  test("there are at least 40 scenarios", () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });
  test.each(files)("%s", (file) => {
    const path = join(dir, file);
    const text = readFileSync(path, "utf8");
    const actual = runScript(text);
    if (update && actual !== text) writeFileSync(path, actual);
    else expect(actual).toBe(text);
  });
});
