/** Terminal tables stay aligned whatever the names: replay of a 1,200-node cluster, the latency table. */
import { describe, expect, it } from "vitest";
import { formatTextTable } from "../../src/cli/text-table.ts";

describe("formatTextTable", () => {
  it("aligns 1,200 node rows with names longer than any fixed column", () => {
    const rows = Array.from({ length: 1200 }, (_, i) => [`general-purpose-zone-${"abc"[i % 3]}-${i}`, `zone-${"abc"[i % 3]}`, i % 7 === 0 ? "Unknown (down)" : "True", String(i % 110), `${i * 10}m/128000m`]);
    const lines = formatTextTable([{ header: "name" }, { header: "zone" }, { header: "ready" }, { header: "pods", align: "right" }, { header: "cpu req/alloc", align: "right" }], rows);
    expect(lines).toHaveLength(1201);
    // every column starts (left-aligned) or ends (right-aligned) at the same character on every line
    const zoneAt = lines[0]!.indexOf("zone");
    const readyAt = lines[0]!.indexOf("ready");
    const podsEnd = lines[0]!.indexOf("pods") + 4;
    for (const [i, line] of lines.slice(1).entries()) {
      const r = rows[i]!;
      expect(line.slice(zoneAt, zoneAt + r[1]!.length)).toBe(r[1]);
      expect(line.slice(readyAt, readyAt + r[2]!.length)).toBe(r[2]);
      expect(line.slice(podsEnd - r[3]!.length, podsEnd)).toBe(r[3]);
      expect(line.endsWith(r[4]!)).toBe(true);
    }
    const lengths = new Set(lines.map((l) => l.length));
    expect(lengths.size).toBe(1); // the last column is right-aligned: every line ends at the same place
  });

  it("pads the header to its column and leaves no trailing spaces", () => {
    const lines = formatTextTable([{ header: "name" }, { header: "node" }], [["default/a-very-long-pod-name-0", ""], ["b", "n1"]]);
    const w = "default/a-very-long-pod-name-0".length;
    expect(lines[0]).toBe(`  ${"name".padEnd(w)}  node`);
    expect(lines[1]).toBe("  default/a-very-long-pod-name-0");
    expect(lines[2]).toBe(`  ${"b".padEnd(w)}  n1`);
  });
});
