/**
 * VOPR clients: each issues key-value operations one at a time to a random member and records an
 * invoke/return history for the linearizability checker. An operation that the member refuses at
 * once (down, no leader) did not happen and is left out; one with no answer before the timeout has
 * an unknown outcome. The answer is the result computed when the target member applies the entry.
 */
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { Entry } from "../../raft/types.ts";
import type { Actor, Engine } from "../engine.ts";
import { decodeKvCommand, encodeKvCommand, KV_ABSENT, type KvCommand } from "./kv-state-machine.ts";
import type { KvOperation } from "./linearizability.ts";
import type { RaftGroup } from "./raft-group.ts";
import type { RaftMember } from "./raft-member.ts";

interface ClientState {
  id: number;
  opId: number;
  /** The operation waiting for an answer, or null. */
  pending: KvOperation | null;
  target: number;
  /** Last value this client saw per key, to make compare-and-set succeed sometimes. */
  seen: Map<string, string | null>;
}

const TAG_NEXT = 1;
const TAG_TIMEOUT = 2;

export interface ClientParams {
  clientCount: number;
  keyCount: number;
  clientTimeoutMs: Ms;
  clientThinkMsMax: Ms;
}

export class KvClients implements Actor {
  readonly history: KvOperation[] = [];
  answered = 0;
  refused = 0;
  timedOut = 0;
  private readonly engine: Engine;
  private readonly prng: Prng;
  private readonly group: RaftGroup;
  private readonly params: ClientParams;
  private readonly clients: ClientState[] = [];
  private stopped = false;

  constructor(engine: Engine, prng: Prng, group: RaftGroup, params: ClientParams) {
    this.engine = engine;
    this.prng = prng;
    this.group = group;
    this.params = params;
    for (let id = 0; id < params.clientCount; id++) this.clients.push({ id, opId: 0, pending: null, target: 0, seen: new Map() });
  }

  start(): void {
    for (const client of this.clients) this.engine.after(this.prng.int(0, this.params.clientThinkMsMax + 1), this, TAG_NEXT, client);
  }

  /** No new operations from now on; pending ones may still be answered. */
  stop(): void {
    this.stopped = true;
  }

  get pendingCount(): number {
    return this.clients.filter((c) => c.pending !== null).length;
  }

  onEvent(tag: number, data: unknown, _nowMs: Ms): void {
    if (tag === TAG_NEXT) {
      const client = data as ClientState;
      if (!this.stopped && client.pending === null) this.issue(client);
      return;
    }
    const [timedOut, opId] = data as [ClientState, number]; // TAG_TIMEOUT
    if (timedOut.pending === null || timedOut.opId !== opId) return;
    timedOut.pending = null; // outcome unknown: returnMs stays Infinity
    this.timedOut++;
    this.scheduleNext(timedOut);
  }

  /** The group's apply hook: answers the client whose target member applied its entry. */
  onApplied(member: RaftMember, entry: Entry, result: string, nowMs: Ms): void {
    if (result === "dup" || result === "") return;
    const command = decodeKvCommand(entry.data);
    const client = this.clients[command.clientId];
    if (client === undefined || client.pending === null || client.opId !== command.opId || client.target !== member.id) return;
    const op = client.pending;
    op.returnMs = nowMs;
    op.known = true;
    if (op.kind === "get") {
      op.readValue = result === KV_ABSENT ? null : result;
      client.seen.set(op.key, op.readValue);
    } else if (op.kind === "cas") {
      op.casOk = result === "ok";
      if (op.casOk) client.seen.set(op.key, op.value);
    } else {
      client.seen.set(op.key, op.value);
    }
    client.pending = null;
    this.answered++;
    this.scheduleNext(client);
  }

  private issue(client: ClientState): void {
    client.opId++;
    const command = this.nextCommand(client);
    const target = this.prng.int(1, this.group.members.length + 1);
    const nowMs = this.engine.nowMs;
    const result = this.group.member(target).propose(encodeKvCommand(command), nowMs);
    if (result !== "ok") {
      this.refused++;
      this.scheduleNext(client);
      return;
    }
    const op = toOperation(command, nowMs);
    this.history.push(op);
    client.pending = op;
    client.target = target;
    this.engine.after(this.params.clientTimeoutMs, this, TAG_TIMEOUT, [client, client.opId]);
  }

  private nextCommand(client: ClientState): KvCommand {
    const key = `k${this.prng.int(0, this.params.keyCount)}`;
    const value = `c${client.id}o${client.opId}`;
    const roll = this.prng.int(0, 10);
    if (roll < 4) return { clientId: client.id, opId: client.opId, kind: "put", key, value };
    if (roll < 8) return { clientId: client.id, opId: client.opId, kind: "get", key };
    const expected = this.prng.chance(0.8) ? (client.seen.get(key) ?? null) : "stale";
    return { clientId: client.id, opId: client.opId, kind: "cas", key, expected, value };
  }

  private scheduleNext(client: ClientState): void {
    if (!this.stopped) this.engine.after(this.prng.int(0, this.params.clientThinkMsMax + 1), this, TAG_NEXT, client);
  }
}

function toOperation(command: KvCommand, invokeMs: Ms): KvOperation {
  const base = { clientId: command.clientId, key: command.key, invokeMs, returnMs: Infinity, known: false, readValue: null, casOk: false };
  switch (command.kind) {
    case "put":
      return { ...base, kind: "put", value: command.value, expected: null };
    case "get":
      return { ...base, kind: "get", value: null, expected: null };
    case "cas":
      return { ...base, kind: "cas", value: command.value, expected: command.expected };
  }
}
