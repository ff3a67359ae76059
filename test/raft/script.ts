import { MemoryStorage } from "../../src/raft/storage.ts";
import type { ConfChange, ConfChangeType, NodeId, RaftConfig } from "../../src/raft/types.ts";
import { Prng } from "../../src/model/prng.ts";
import { defaultConfig, encodeStateMachine, InteractionEnv, LowestPrng } from "./env.ts";
import { formatEntry, formatMessage, roleName } from "./format.ts";

/**
 * A tiny interpreter for etcd-style datadriven scripts:
 *
 *   # comments
 *   command arg key=value
 *   ----
 *   expected output (no blank lines; "ok" when there is nothing to say)
 *
 * `runScript` executes every command against one InteractionEnv and returns the file text with
 * the actual outputs, so a test compares it with the file and UPDATE_GOLDEN=1 rewrites it.
 * Safety invariants are checked after every command.
 */

export interface Block {
  preamble: string[];
  command: string;
  line: number;
  expected: string[];
}

export function parseScript(text: string): { blocks: Block[]; trailer: string[] } {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  let preamble: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "" || line.startsWith("#")) {
      preamble.push(line);
      i++;
      continue;
    }
    if (lines[i + 1] !== "----") throw new Error(`line ${i + 1}: expected ---- after command "${line}"`);
    const expected: string[] = [];
    let j = i + 2;
    while (j < lines.length && lines[j] !== "") expected.push(lines[j++]!);
    blocks.push({ preamble, command: line, line: i + 1, expected });
    preamble = [];
    i = j < lines.length ? j + 1 : j; // the blank line ending the output belongs to the block
  }
  while (preamble.length > 0 && preamble[preamble.length - 1] === "") preamble.pop();
  return { blocks, trailer: preamble };
}

export function renderScript(blocks: readonly { preamble: string[]; command: string; output: string[] }[], trailer: string[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    out.push(...b.preamble, b.command, "----", ...b.output, "");
  }
  out.push(...trailer);
  let text = out.join("\n");
  if (!text.endsWith("\n")) text += "\n";
  return text.replace(/\n\n+$/, "\n");
}

interface Args {
  positional: string[];
  named: Map<string, string>;
}

function parseArgs(tokens: string[]): Args {
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (const t of tokens) {
    const eq = t.indexOf("=");
    if (eq > 0) named.set(t.slice(0, eq), t.slice(eq + 1));
    else positional.push(t);
  }
  return { positional, named };
}

function ids(list: string): NodeId[] {
  const inner = list.replace(/^\(/, "").replace(/\)$/, "");
  return inner === "" ? [] : inner.split(",").map(Number);
}

function num(s: string | undefined, what: string): number {
  const n = Number(s);
  if (s === undefined || !Number.isFinite(n)) throw new Error(`${what}: expected a number, got ${s}`);
  return n;
}

const CC_TYPES: Record<string, ConfChangeType> = {
  add: "addNode",
  "add-node": "addNode",
  "add-learner": "addLearner",
  remove: "removeNode",
  "remove-node": "removeNode",
};

export function runCommand(env: InteractionEnv, command: string): string[] {
  env.out = [];
  const tokens = command.trim().split(/\s+/);
  const name = tokens[0]!;
  const args = parseArgs(tokens.slice(1));
  const p = args.positional;
  const allIds = () => env.nodes.map((n) => n.id);
  const targets = () => (p.length > 0 ? p.map(Number) : allIds());
  args.positional = p.filter((x) => x !== "");
  switch (name) {
    case "add-nodes":
      addNodes(env, args);
      break;
    case "log-level":
      env.logLevel = p[0] === "none" ? "none" : "info";
      break;
    case "campaign":
      report(env, env.get(num(p[0], "campaign")).node.campaign());
      break;
    case "propose":
      report(env, env.get(num(p[0], "propose")).node.propose(p[1] ?? ""));
      break;
    case "propose-batch":
      report(env, env.get(num(p[0], "propose-batch")).node.proposeBatch(p.slice(1)));
      break;
    case "propose-conf-change": {
      const type = CC_TYPES[p[1] ?? ""];
      if (type === undefined) throw new Error(`unknown conf change ${p[1]}`);
      const cc: ConfChange = { type, nodeId: num(p[2], "conf change node") };
      report(env, env.get(num(p[0], "node")).node.proposeConfChange(cc));
      break;
    }
    case "process-ready":
      for (const id of targets()) if (env.get(id).node.hasReady()) env.processReady(id);
      break;
    case "deliver-msgs": {
      const drop = args.named.get("drop") === "true";
      const type = args.named.get("type") ?? null;
      for (const id of targets()) env.deliver(id, drop, type);
      break;
    }
    case "drop-msgs": {
      const from = args.named.get("from");
      const to = args.named.get("to");
      const type = args.named.get("type");
      const dropped = env.queue.filter(
        (m) => (from === undefined || m.from === Number(from)) && (to === undefined || m.to === Number(to)) && (type === undefined || m.type === type),
      );
      env.queue = env.queue.filter((m) => !dropped.includes(m));
      for (const m of dropped) env.print(`dropped: ${formatMessage(m)}`);
      break;
    }
    case "stabilize":
      env.stabilize(targets());
      break;
    case "tick-election":
      for (const id of targets()) tickN(env, id, env.get(id).config.electionTicks);
      break;
    case "tick-heartbeat":
      for (const id of targets()) tickN(env, id, env.get(id).config.heartbeatTicks);
      break;
    case "tick":
      tickN(env, num(p[0], "tick node"), num(p[1] ?? "1", "tick count"));
      break;
    case "partition": {
      const groups: NodeId[][] = [[]];
      for (const t of p) {
        if (t === "|") groups.push([]);
        else groups[groups.length - 1]!.push(Number(t));
      }
      env.partition = groups;
      break;
    }
    case "isolate": {
      const id = num(p[0], "isolate");
      env.partition = [[id], allIds().filter((x) => x !== id)];
      break;
    }
    case "ignore":
      env.ignored.add(p[0] ?? "");
      break;
    case "heal":
      env.partition = null;
      env.ignored.clear();
      break;
    case "transfer-leadership":
      env.get(num(args.named.get("from"), "from")).node.transferLeader(num(args.named.get("to"), "to"));
      break;
    case "read-index":
      env.get(num(p[0], "read-index")).node.readIndex(p[1] ?? "ctx");
      break;
    case "report-unreachable":
      env.get(num(p[0], "node")).node.reportUnreachable(num(p[1], "peer"));
      break;
    case "report-snapshot":
      env.get(num(p[0], "node")).node.reportSnapshot(num(p[1], "peer"), p[2] !== "fail");
      break;
    case "compact":
      compact(env, num(p[0], "node"), num(p[1], "index"));
      break;
    case "crash": {
      const n = env.get(num(p[0], "crash"));
      n.crashed = true;
      break;
    }
    case "restart": {
      const id = num(p[0], "restart");
      env.get(id).crashed = false;
      env.restart(id);
      break;
    }
    case "set-randomized-election-timeout":
      env.get(num(p[0], "node")).node.raft.setRandomizedElectionTimeout(num(args.named.get("timeout"), "timeout"));
      break;
    case "status":
      for (const id of targets()) status(env, id);
      break;
    case "raft-state":
      for (const n of env.nodes) {
        const r = n.node.raft;
        const kind = r.tracker.isVoter(n.id) ? "Voter" : r.isLearner ? "Learner" : "Non-Member";
        env.print(`${n.id}: ${roleName(r.role)} (${kind}) Term:${r.term} Lead:${r.lead} Commit:${r.log.committed}${n.crashed ? " (down)" : ""}`);
      }
      break;
    case "raft-log":
      for (const id of targets()) raftLog(env, id);
      break;
    case "state-machine":
      for (const id of targets()) {
        const n = env.get(id);
        env.print(`${id}: applied=${n.appliedIndex} [${n.stateMachine.join(" ")}]`);
      }
      break;
    case "messages":
      for (const m of env.queue) env.print(formatMessage(m));
      break;
    default:
      throw new Error(`unknown command ${name}`);
  }
  env.checkInvariants();
  // quiet=true: run a setup step without printing its (already covered) details.
  if (args.named.get("quiet") === "true") return ["ok"];
  return env.out.length > 0 ? env.out : ["ok"];
}

function report(env: InteractionEnv, result: string): void {
  if (result !== "ok") env.print(`-> ${result}`);
}

function tickN(env: InteractionEnv, id: NodeId, count: number): void {
  for (let i = 0; i < count; i++) env.get(id).node.tick();
}

function addNodes(env: InteractionEnv, args: Args): void {
  const count = num(args.positional[0], "add-nodes count");
  const firstId = env.nodes.length === 0 ? 1 : Math.max(...env.nodes.map((n) => n.id)) + 1;
  const newIds = Array.from({ length: count }, (_, i) => firstId + i);
  const voters = args.named.has("voters") ? ids(args.named.get("voters")!) : newIds;
  const learners = args.named.has("learners") ? ids(args.named.get("learners")!) : [];
  const index = num(args.named.get("index") ?? "1", "index");
  const join = args.named.get("join") === "true";
  for (const id of newIds) {
    const config: RaftConfig = {
      ...defaultConfig(id, []),
      preVote: args.named.get("prevote") === "true",
      checkQuorum: args.named.get("checkquorum") === "true",
      readOnlyOption: args.named.get("read-only") === "lease" ? "lease" : "safe",
      maxInflightMsgs: num(args.named.get("max-inflight") ?? "256", "max-inflight"),
      maxSizePerMsg: num(args.named.get("max-size") ?? String(1 << 20), "max-size"),
      electionTicks: num(args.named.get("election") ?? "10", "election"),
      heartbeatTicks: num(args.named.get("heartbeat") ?? "1", "heartbeat"),
      stepDownOnRemoval: args.named.get("step-down-on-removal") === "true",
    };
    // Joining nodes start empty and learn the membership from the leader's snapshot.
    const storage = join ? new MemoryStorage() : MemoryStorage.bootstrap({ voters, learners, votersOutgoing: [] }, index);
    const prng = args.named.get("random") === "true" ? new Prng(`node-${id}`) : new LowestPrng(`node-${id}`);
    env.addNode(config, storage, prng);
  }
}

function compact(env: InteractionEnv, id: NodeId, index: number): void {
  const n = env.get(id);
  const snap = n.storage.snapshot();
  if (index > snap.metadata.index) {
    // The host snapshots its state machine at the applied index it asks to compact to.
    if (index !== n.appliedIndex) throw new Error(`compact ${id} ${index}: state machine is at ${n.appliedIndex}`);
    n.storage.createSnapshot(index, n.confState, encodeStateMachine(n.stateMachine));
  }
  n.storage.compact(index);
  env.print(`${id}: snapshot at ${index}, log now [${n.storage.firstIndex()}, ${n.storage.lastIndex()}]`);
}

function status(env: InteractionEnv, id: NodeId): void {
  const st = env.get(id).node.status();
  env.print(`${id}: ${roleName(st.softState.role)} Term:${st.hardState.term} Lead:${st.softState.lead} Vote:${st.hardState.vote} Commit:${st.hardState.commit} Applied:${st.applied} Last:${st.lastIndex}${st.leadTransferee !== 0 ? ` Transferee:${st.leadTransferee}` : ""}`);
  for (const pr of st.progress) {
    const extras = [
      pr.isLearner ? "learner" : "",
      pr.state === "snapshot" ? `pendingSnap=${pr.pendingSnapshot}` : "",
      pr.inflight > 0 ? `inflight=${pr.inflight}` : "",
      pr.state !== "replicate" || pr.inflight > 0 ? "" : "",
    ].filter((x) => x !== "");
    const stateName = { probe: "StateProbe", replicate: "StateReplicate", snapshot: "StateSnapshot" }[pr.state];
    env.print(`  ${pr.id}: ${stateName} match=${pr.match} next=${pr.next}${extras.length > 0 ? ` ${extras.join(" ")}` : ""}`);
  }
}

function raftLog(env: InteractionEnv, id: NodeId): void {
  const log = env.get(id).node.raft.log;
  const first = log.firstIndex();
  const last = log.lastIndex();
  if (last < first) {
    env.print(`${id}: log empty (snapshot at ${first - 1})`);
    return;
  }
  const entries = log.slice(first, last + 1, Infinity) ?? [];
  env.print(`${id}: ${entries.map(formatEntry).join(", ")}`);
}

/** Run a script text; returns the text with actual outputs. */
export function runScript(text: string): string {
  const { blocks, trailer } = parseScript(text);
  const env = new InteractionEnv();
  const results = blocks.map((b) => {
    try {
      return { preamble: b.preamble, command: b.command, output: runCommand(env, b.command) };
    } catch (e) {
      throw new Error(`line ${b.line} "${b.command}": ${(e as Error).message}`);
    }
  });
  return renderScript(results, trailer);
}
