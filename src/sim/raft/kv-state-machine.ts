/**
 * A key-value register per key with client sessions (thesis §6.3): each entry carries
 * (client, op number); a client's ops are sequential, so an entry whose op number is not newer
 * than the client's last applied one is a duplicate (a retried or network-duplicated proposal)
 * and is applied at most once. Commands are short text so that entries stay plain strings.
 */
import { assert } from "../../model/assert.ts";
import type { Entry } from "../../raft/types.ts";
import type { StateMachine } from "./state-machine.ts";

export type KvCommand =
  | { clientId: number; opId: number; kind: "put"; key: string; value: string }
  | { clientId: number; opId: number; kind: "get"; key: string }
  | { clientId: number; opId: number; kind: "cas"; key: string; expected: string | null; value: string };

const ABSENT = "~";

/** "client|op|kind|key|value|expected" with "~" for absent; keys and values must not hold "|" or "~". */
export function encodeKvCommand(command: KvCommand): string {
  const value = command.kind === "get" ? ABSENT : command.value;
  const expected = command.kind === "cas" ? (command.expected ?? ABSENT) : ABSENT;
  return `${command.clientId}|${command.opId}|${command.kind}|${command.key}|${value}|${expected}`;
}

export function decodeKvCommand(data: string): KvCommand {
  const [client, op, kind, key, value, expected] = data.split("|");
  assert(key !== undefined && value !== undefined && expected !== undefined, `malformed kv command ${data}`);
  const clientId = Number(client);
  const opId = Number(op);
  if (kind === "put") return { clientId, opId, kind, key, value };
  if (kind === "get") return { clientId, opId, kind, key };
  assert(kind === "cas", `unknown kv command kind ${kind}`);
  return { clientId, opId, kind, key, expected: expected === ABSENT ? null : expected, value };
}

/** Result strings: get → the value or "~"; put → "ok"; cas → "ok" or "fail"; duplicate → "dup". */
export class KvStateMachine implements StateMachine {
  private values = new Map<string, string>();
  private lastOp = new Map<number, number>();

  apply(entry: Entry): string {
    const command = decodeKvCommand(entry.data);
    const last = this.lastOp.get(command.clientId) ?? -1;
    if (command.opId <= last) return "dup";
    this.lastOp.set(command.clientId, command.opId);
    const current = this.values.get(command.key) ?? null;
    switch (command.kind) {
      case "get":
        return current ?? ABSENT;
      case "put":
        this.values.set(command.key, command.value);
        return "ok";
      case "cas":
        if (current !== command.expected) return "fail";
        this.values.set(command.key, command.value);
        return "ok";
    }
  }

  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  snapshot(): string {
    const values = [...this.values.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const sessions = [...this.lastOp.entries()].sort((a, b) => a[0] - b[0]);
    return JSON.stringify({ values, sessions });
  }

  restore(image: string): void {
    this.values = new Map();
    this.lastOp = new Map();
    if (image === "") return;
    const parsed = JSON.parse(image) as { values: [string, string][]; sessions: [number, number][] };
    this.values = new Map(parsed.values);
    this.lastOp = new Map(parsed.sessions);
  }
}

export const KV_ABSENT = ABSENT;
