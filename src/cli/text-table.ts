/**
 * A plain-text table for the terminal: every column as wide as its widest cell (header included),
 * numbers right-aligned, so rows stay aligned whatever the names (a 1,000-node pool's
 * "general-purpose-zone-b-1023", a pod key of 60 characters). One way to print a table in the CLI.
 */

export interface TextColumn {
  header: string;
  align?: "left" | "right";
}

export function formatTextTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths = columns.map((c, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? "").length), c.header.length));
  const line = (cells: readonly string[]) =>
    indent +
    columns
      .map((c, i) => {
        const cell = cells[i] ?? "";
        const width = widths[i] as number;
        return c.align === "right" ? cell.padStart(width) : i === columns.length - 1 ? cell : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}
