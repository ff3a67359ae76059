/**
 * Builds the control-plane store a scenario asks for and applies control-plane faults to it.
 * The Raft store uses etcd's defaults with the scenario's heartbeat, election timeout, size and
 * PreVote/CheckQuorum switches; one Raft tick is one heartbeat interval, as in etcd.
 */
import { assert } from "../model/assert.ts";
import type { Prng } from "../model/prng.ts";
import type { Engine } from "./engine.ts";
import type { ControlPlaneParameters, FaultPlan, MemberTarget } from "./plan.ts";
import type { CommitListener } from "./raft/control-plane-store.ts";
import { etcdStoreParams, RaftStore, type RaftStoreParams } from "./raft/raft-store.ts";

export function raftStoreParams(cp: ControlPlaneParameters): RaftStoreParams {
  const params = etcdStoreParams(cp.members);
  const electionTicks = Math.max(2, Math.round(cp.electionTimeoutMs / cp.heartbeatMs));
  const group = { ...params.group, tickMs: cp.heartbeatMs, heartbeatTicks: 1, electionTicks, preVote: cp.preVote, checkQuorum: cp.checkQuorum };
  return { ...params, group, writeTimeoutMs: 5000 + 2 * cp.electionTimeoutMs };
}

export function buildRaftStore(engine: Engine, prng: Prng, cp: ControlPlaneParameters, listener: CommitListener): RaftStore {
  const store = new RaftStore(engine, prng, raftStoreParams(cp), listener);
  store.start();
  return store;
}

export type ControlPlaneFault = Extract<FaultPlan, { kind: `ControlPlane${string}` }>;

/** Applies one control-plane fault; returns a short description of whom it hit. */
export function applyControlPlaneFault(store: RaftStore, fault: ControlPlaneFault): string {
  switch (fault.kind) {
    case "ControlPlaneIsolate":
      return hit(store, fault.member, (id) => store.isolateMember(id));
    case "ControlPlaneHeal":
      store.heal();
      return "control-plane network";
    case "ControlPlaneCrash":
      return hit(store, fault.member, (id) => store.crashMember(id));
    case "ControlPlaneRestart": {
      const ids = fault.member === "crashed" ? store.group.members.filter((m) => !m.up).map((m) => m.id) : [fault.member];
      for (const id of ids) store.restartMember(id);
      return ids.length > 0 ? `member ${ids.join(",")}` : "no crashed member";
    }
    case "ControlPlaneSlowDisk":
      return hit(store, fault.member, (id) => store.slowDisk(id, fault.factor, fault.durationMs));
    case "ControlPlaneClockDrift":
      return hit(store, fault.member, (id) => store.driftClock(id, fault.factor));
  }
}

function hit(store: RaftStore, member: MemberTarget, act: (id: number) => void): string {
  const id = member === "leader" ? store.group.leaderId() : member;
  if (id === 0) return "no leader at that moment";
  assert(id >= 1 && id <= store.group.members.length, `control-plane member ${id} does not exist`);
  act(id);
  return `member ${id}${member === "leader" ? " (the leader)" : ""}`;
}
