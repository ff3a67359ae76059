/** NodeStatuses reads as the Map<string, Status> it replaces, before and after it moves to rows. */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { NodeStatuses } from "../../src/policies/scheduling/node-statuses.ts";
import { status, type Status } from "../../src/policies/scheduling/status.ts";

const names = Array.from({ length: 150 }, (_, i) => `n${i}`);
const index = new Map(names.map((n, i) => [n, i]));
const verdicts: Status[] = [status("Unschedulable", "A", "a"), status("UnschedulableAndUnresolvable", "B", "b")];

test.prop([fc.array(fc.record({ at: fc.integer({ min: 0, max: 159 }), byRow: fc.boolean(), verdict: fc.integer({ min: 0, max: 1 }) }), { minLength: 0, maxLength: 400, size: "max" })], { numRuns: 200 })(
  "same get, has, size and insertion-ordered iteration as a Map",
  (writes) => {
    const statuses = new NodeStatuses(names, index);
    const map = new Map<string, Status>();
    for (const w of writes) {
      const name = w.at < names.length ? (names[w.at] as string) : `outside-${w.at}`;
      const v = verdicts[w.verdict] as Status;
      if (w.byRow && w.at < names.length) statuses.setAt(w.at, v);
      else statuses.set(name, v);
      map.set(name, v);
    }
    expect(statuses.size).toBe(map.size);
    expect([...statuses.entries()]).toEqual([...map.entries()]);
    expect([...statuses.keys()]).toEqual([...map.keys()]);
    const values: Status[] = [];
    statuses.forEachValue((s) => values.push(s));
    expect(values).toEqual([...map.values()]);
    for (let i = 0; i < names.length; i++) {
      expect(statuses.get(names[i] as string)).toBe(map.get(names[i] as string));
      expect(statuses.atRow(i)).toBe(map.get(names[i] as string));
      expect(statuses.has(names[i] as string)).toBe(map.has(names[i] as string));
    }
    expect(statuses.get("outside-155")).toBe(map.get("outside-155"));
  },
);
