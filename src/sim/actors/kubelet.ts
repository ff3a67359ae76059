/**
 * One kubelet per node: renews its Lease (kube-node-lease/<node>) every heartbeat period, a write
 * that lands only while the control plane serves (a failed renewal is not retried: the next
 * heartbeat renews anyway); starts pods bound to its node once their images are on the node (a
 * per-node cache, one pull at a time: ../kubelet/image-puller.ts) and a log-normal start latency,
 * after its init containers, one at a time (../kubelet/init-containers.ts); reports Ready and kills containers as the scenario's container behaviour and the pod spec's
 * probes say (../kubelet/container-schedule.ts); removes a deleted pod once its container stopped
 * (../kubelet/termination.ts). A container that exits is restarted by the pod's restartPolicy
 * with upstream's CrashLoopBackOff (../kubelet/crash-loop-backoff.ts). A machine crash stops it:
 * pending work is dropped (epoch guard), the back-off memory and pulls in flight with it, and
 * nothing is written until the machine comes back, when it finalizes pods deleted meanwhile and
 * restarts the rest.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { ApiServer, Watcher, WriteOutcome } from "../api/api-server.ts";
import type { Actor, Engine } from "../engine.ts";
import type { SimParameters } from "../plan.ts";
import { nodeLeaseNamespace, type Lease, type Pod } from "../../model/objects.ts";
import { behaviorOf, drawMs, type ContainerBehaviorPlan } from "../kubelet/container-behavior.ts";
import { defaultAppStopMs, graceMsOf, specPreStopMs, stopDelayMs } from "../kubelet/termination.ts";
import { ImagePuller, type ImagePlan } from "../kubelet/image-puller.ts";
import { containerActions, killedExitCode, mainContainer, type KillCause } from "../kubelet/container-schedule.ts";
import { memoryLimitOf, workingSetBytes, type MemoryPlan } from "../kubelet/memory.ts";
import { nextBackOff, restartDelayMs, type BackOffEntry } from "../kubelet/crash-loop-backoff.ts";
import { initBehaviorOf, initExitOutcome, initRunOf, isSidecar, nextInitIndex } from "../kubelet/init-containers.ts";

const tagHeartbeat = 1;
const tagStart = 2;
const tagReady = 3;
const tagRemove = 4;
const tagRunning = 5;
const tagExit = 6;
const tagRestart = 7;
const tagRestarted = 8;
const tagNotReady = 9;
const tagInitExit = 10;
const tagInitStarted = 11;
const tagInitRestart = 12;
const tagInitWritten = 13;
/** upstream kubelet nodeLeaseDurationSeconds. */
const leaseDurationSeconds = 40;

interface PodTask {
  key: string;
  epoch: number;
  /** Which start of the pod's container the task belongs to (ready and exit tasks only). */
  run?: number;
  /** An init container task: its index in spec.initContainers. */
  index?: number;
  /** An init container task: a start after it failed. */
  restart?: boolean;
  exitCode?: number;
  /** An exit task: the probe that kills the container (undefined: it exits by itself). */
  cause?: KillCause;
  /** A restart task: when the container it restarts finished. */
  finishedMs?: Ms;
}

export class Kubelet implements Actor, Watcher {
  readonly nodeName: string;
  up = true;
  private epoch = 0;
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly prng: Prng;
  private readonly params: SimParameters;
  private readonly behaviors: readonly ContainerBehaviorPlan[];
  /** Container times of pods a behaviour rule matches: an exogenous stream of its own. */
  private readonly containerPrng: Prng;
  /** Per pod: the current container start (tasks of older starts are stale). */
  private readonly runs = new Map<string, number>();
  /** Per pod: the CrashLoopBackOff entry (upstream keys it by pod and container; pods here run one behaviour). */
  private readonly backOff = new Map<string, BackOffEntry>();
  /** Per pod: the back-off of its init containers (one runs at a time). */
  private readonly initBackOff = new Map<string, BackOffEntry>();

  /** Per pod whose working set grows with its load: the container start it watches (memory.ts). */
  private readonly memoryWatch = new Map<string, { run: number; startMs: Ms; memory: MemoryPlan; limitBytes: number }>();
  /** The node's image cache and serial puller (survives a machine crash: the images are on disk). */
  private readonly images: ImagePuller;

  constructor(engine: Engine, api: ApiServer, nodeName: string, prng: Prng, params: SimParameters, behaviors: readonly ContainerBehaviorPlan[] = [], images: readonly ImagePlan[] = []) {
    this.engine = engine;
    this.images = new ImagePuller(params.imagePulls, images);
    this.api = api;
    this.nodeName = nodeName;
    this.prng = prng;
    this.params = params;
    this.behaviors = behaviors;
    this.containerPrng = prng.fork("containers");
  }

  start(): void {
    this.renewLease(this.engine.nowMs);
    this.engine.after(this.prng.int(0, this.params.heartbeatPeriodMs), this, tagHeartbeat, this.epoch);
  }

  crash(): void {
    this.up = false;
    this.epoch++;
    this.images.crashed(this.engine.nowMs);
    this.backOff.clear();
    this.initBackOff.clear();
    this.runs.clear();
    this.memoryWatch.clear();
  }

  recover(): void {
    if (this.up) return;
    this.up = true;
    this.epoch++;
    this.renewLease(this.engine.nowMs);
    this.engine.after(this.params.heartbeatPeriodMs, this, tagHeartbeat, this.epoch);
    this.resync();
  }

  onWatch(events: readonly ClusterEvent[]): void {
    if (!this.up) return;
    for (const event of events) {
      if (event.kind === "PodBound" && event.nodeName === this.nodeName) this.scheduleStart(event.key);
      else if (event.kind === "PodDeleting") this.scheduleRemove(event.key);
    }
  }

  onEvent(tag: number, data: unknown, nowMs: Ms): void {
    if (tag === tagHeartbeat) return this.heartbeat(data as number, nowMs);
    if (tag === tagRunning || tag === tagRestarted) return this.onRunning(data as WriteOutcome);
    if (tag === tagInitWritten) return this.onInitWritten(data as WriteOutcome);
    const task = data as PodTask;
    if (task.epoch !== this.epoch || !this.up) return;
    const pod = this.api.state.pods.get(task.key);
    if (!pod || pod.spec.nodeName !== this.nodeName) return;
    const deleting = pod.metadata.deletionMs !== undefined;
    const initializing = !deleting && pod.status.phase === "Pending" && this.current(task);
    if (tag === tagStart && !deleting && pod.status.phase === "Pending" && nextInitIndex(pod) !== undefined) {
      this.startInit(pod, task.key, nextInitIndex(pod) as number, false);
    } else if (tag === tagInitExit && initializing && task.index !== undefined && nextInitIndex(pod) === task.index) {
      this.initExited(pod, task.key, task.index, task.exitCode ?? 0, nowMs);
    } else if (tag === tagInitStarted && initializing && task.index !== undefined && nextInitIndex(pod) === task.index) {
      this.api.submit({ kind: "InitContainerStarted", key: task.key, index: task.index, restart: task.restart === true }, false, { actor: this, tag: tagInitWritten });
    } else if (tag === tagInitRestart && initializing && task.index !== undefined && nextInitIndex(pod) === task.index) {
      this.initBackOff.set(task.key, nextBackOff(this.initBackOff.get(task.key), task.finishedMs ?? nowMs, nowMs));
      this.startInit(pod, task.key, task.index, true);
    } else if (tag === tagStart && !deleting) {
      // Readiness counts from the moment the containers are seen running (the write committed),
      // so a zero readiness delay still comes after it.
      this.api.submit({ kind: "PodRunning", key: task.key }, false, { actor: this, tag: tagRunning });
    } else if (tag === tagReady && !deleting && this.current(task) && pod.status.phase === "Running" && !pod.status.ready) {
      this.api.submit({ kind: "PodReadyChanged", key: task.key, ready: true }, false);
    } else if (tag === tagNotReady && this.current(task) && pod.status.ready) {
      this.api.submit({ kind: "PodReadyChanged", key: task.key, ready: false }, false);
    } else if (tag === tagExit && !deleting && this.current(task) && pod.status.phase === "Running") {
      this.containerExited(pod, task.key, task.exitCode ?? 1, task.cause, nowMs);
    } else if (tag === tagRestart && !deleting && this.current(task) && pod.status.phase === "Running") {
      this.backOff.set(task.key, nextBackOff(this.backOff.get(task.key), task.finishedMs ?? nowMs, nowMs));
      this.api.submit({ kind: "ContainerRestarted", key: task.key }, false, { actor: this, tag: tagRestarted });
    } else if (tag === tagRemove) {
      this.runs.delete(task.key);
      this.backOff.delete(task.key);
      this.initBackOff.delete(task.key);
      this.memoryWatch.delete(task.key);
      this.api.submit({ kind: "PodRemoved", key: task.key }, false);
    }
  }

  private current(task: PodTask): boolean {
    return task.run === undefined || task.run === this.runs.get(task.key);
  }

  private onRunning(outcome: WriteOutcome): void {
    const event = outcome.event;
    if (!this.up || (event.kind !== "PodRunning" && event.kind !== "ContainerRestarted")) return;
    if (outcome.ok) this.containerStarted(event.key);
    // Not written (no control plane, or the pod changed): the kubelet reports again a little later.
    else if (event.kind === "PodRunning" && outcome.reason !== "pod not found" && outcome.reason !== "pod is being deleted" && outcome.reason !== "pod is terminal") {
      this.engine.after(1000, this, tagStart, { key: event.key, epoch: this.epoch });
    }
  }

  /**
   * kuberuntime computeInitContainerActions: start init container `index` (init-containers.ts).
   * An init container counts as running at once and exits as its rule says; a sidecar counts once
   * it has started (tagInitStarted), unless it exits first.
   */
  private startInit(pod: Pod, key: string, index: number, restart: boolean): void {
    const c = pod.spec.initContainers?.[index];
    if (c === undefined) return;
    const run = (this.runs.get(key) ?? 0) + 1;
    this.runs.set(key, run);
    // Its run counts from the moment it is seen running (the write committed: onInitWritten).
    if (!isSidecar(c)) {
      this.api.submit({ kind: "InitContainerStarted", key, index, restart }, false, { actor: this, tag: tagInitWritten });
      return;
    }
    // A sidecar is written only once started (then the next one may start); one exiting before is not.
    const plan = initRunOf(c, initBehaviorOf(pod, c.image, this.behaviors), this.containerPrng);
    const task = { key, epoch: this.epoch, run, index, restart };
    if (plan.kind === "started") this.engine.after(plan.afterMs, this, tagInitStarted, task);
    else this.engine.after(plan.afterMs, this, tagInitExit, { ...task, exitCode: plan.exitCode });
  }

  /** An init container exited: the next starts, it restarts after its back-off, or (restartPolicy Never) the pod fails. */
  private initExited(pod: Pod, key: string, index: number, exitCode: number, nowMs: Ms): void {
    const c = pod.spec.initContainers?.[index];
    if (c === undefined) return;
    const outcome = initExitOutcome(pod, c, exitCode);
    this.runs.set(key, (this.runs.get(key) ?? 0) + 1);
    if (outcome !== "restart") {
      this.api.submit({ kind: "InitContainerExited", key, index, exitCode, phase: outcome === "fail" ? "Failed" : "Pending", backOffMs: 0 }, false, { actor: this, tag: tagInitWritten });
      return;
    }
    const backOffMs = restartDelayMs(this.initBackOff.get(key), nowMs);
    this.api.submit({ kind: "InitContainerExited", key, index, exitCode, phase: "Pending", backOffMs }, false);
    this.engine.after(backOffMs, this, tagInitRestart, { key, epoch: this.epoch, run: this.runs.get(key), index, finishedMs: nowMs });
  }

  /** An init container written done (exit 0, or a sidecar started): the next one, or the app containers. A failed write: start it again a little later. */
  private onInitWritten(outcome: WriteOutcome): void {
    const event = outcome.event;
    if (!this.up || (event.kind !== "InitContainerStarted" && event.kind !== "InitContainerExited")) return;
    if (!outcome.ok) {
      if (outcome.reason === "pod not found" || outcome.reason === "pod is being deleted" || outcome.reason === "pod not pending") return;
      this.runs.set(event.key, (this.runs.get(event.key) ?? 0) + 1);
      this.engine.after(1000, this, tagStart, { key: event.key, epoch: this.epoch });
      return;
    }
    const pod = this.api.state.pods.get(event.key);
    const c = pod?.spec.initContainers?.[event.index];
    if (c === undefined) return;
    if (event.kind === "InitContainerStarted" && !isSidecar(c)) {
      const plan = initRunOf(c, initBehaviorOf(pod as Pod, c.image, this.behaviors), this.containerPrng);
      if (plan.kind === "exit") this.engine.after(plan.afterMs, this, tagInitExit, { key: event.key, epoch: this.epoch, run: this.runs.get(event.key), index: event.index, exitCode: plan.exitCode });
      return;
    }
    const advance = event.kind === "InitContainerExited" ? event.phase === "Pending" && event.exitCode === 0 && !isSidecar(c) : isSidecar(c);
    if (advance) this.engine.after(0, this, tagStart, { key: event.key, epoch: this.epoch });
  }

  /** The container runs: its Ready flips and its end as its behaviour and its probes say (container-schedule.ts). */
  private containerStarted(key: string): void {
    const pod = this.api.state.pods.get(key);
    if (pod === undefined) return;
    const run = (this.runs.get(key) ?? 0) + 1;
    this.runs.set(key, run);
    const rule = this.behaviors.length === 0 ? undefined : behaviorOf(pod, this.behaviors);
    this.watchMemory(pod, key, rule, run);
    for (const action of containerActions(pod, rule, this.params, this.containerPrng)) {
      if (action.kind === "exit") this.engine.after(action.atMs, this, tagExit, { key, epoch: this.epoch, run, exitCode: action.exitCode, cause: action.cause });
      else this.engine.after(action.atMs, this, action.kind === "ready" ? tagReady : tagNotReady, { key, epoch: this.epoch, run });
    }
  }

  /** A rule whose working set grows with the load: checked after each load slice (onPodLoad). */
  private watchMemory(pod: Pod, key: string, rule: ContainerBehaviorPlan | undefined, run: number): void {
    const memory = rule?.memory;
    const limitBytes = memoryLimitOf(mainContainer(pod, rule));
    if (memory === undefined || memory.perRequestPerSecondBytes <= 0 || limitBytes === undefined) {
      this.memoryWatch.delete(key);
      return;
    }
    this.memoryWatch.set(key, { run, startMs: this.engine.nowMs, memory, limitBytes });
  }

  /** The load model's last slice: a working set past the limit is an OOM kill (exit 137, OOMKilled). */
  onPodLoad(key: string, requestsPerSecond: number, nowMs: Ms): void {
    const watch = this.memoryWatch.get(key);
    if (!this.up || watch === undefined || watch.run !== this.runs.get(key)) return;
    if (workingSetBytes(watch.memory, nowMs - watch.startMs, requestsPerSecond) <= watch.limitBytes) return;
    const pod = this.api.state.pods.get(key);
    if (!pod || pod.spec.nodeName !== this.nodeName || pod.metadata.deletionMs !== undefined || pod.status.phase !== "Running" || pod.status.waitingReason !== undefined) return;
    this.memoryWatch.delete(key);
    this.containerExited(pod, key, killedExitCode, "OOMKilled", nowMs);
  }

  /**
   * kuberuntime computePodActions + doBackOff: Always restarts, OnFailure restarts a non-zero
   * exit, Never does not; a restart waits out the container's back-off. The pod phase follows
   * kubelet_pods.go getPhase for a single container.
   */
  private containerExited(pod: Pod, key: string, exitCode: number, cause: KillCause | undefined, nowMs: Ms): void {
    const policy = pod.spec.restartPolicy ?? "Always";
    const restarts = policy === "Always" || (policy === "OnFailure" && exitCode !== 0);
    this.runs.set(key, (this.runs.get(key) ?? 0) + 1);
    const why = cause === undefined ? {} : { cause };
    if (!restarts) {
      this.api.submit({ kind: "ContainerExited", key, exitCode, phase: exitCode === 0 ? "Succeeded" : "Failed", backOffMs: 0, ...why }, false);
      return;
    }
    const backOffMs = restartDelayMs(this.backOff.get(key), nowMs);
    this.api.submit({ kind: "ContainerExited", key, exitCode, phase: "Running", backOffMs, ...why }, false);
    this.engine.after(backOffMs, this, tagRestart, { key, epoch: this.epoch, run: this.runs.get(key), finishedMs: nowMs });
  }

  private heartbeat(epoch: number, nowMs: Ms): void {
    if (epoch !== this.epoch || !this.up) return;
    this.renewLease(nowMs);
    this.engine.after(this.params.heartbeatPeriodMs, this, tagHeartbeat, epoch);
  }

  /** The first renewal creates the lease; later ones only move its renew time. Never retried. */
  private renewLease(nowMs: Ms): void {
    const key = `${nodeLeaseNamespace}/${this.nodeName}`;
    if (this.api.state.leases.has(key)) {
      this.api.submit({ kind: "LeaseRenewed", key, renewTimeMs: nowMs }, false, undefined, { retry: false });
      return;
    }
    const lease: Lease = {
      kind: "Lease",
      metadata: { name: this.nodeName, namespace: nodeLeaseNamespace, uid: `lease-${this.nodeName}`, labels: {}, creationMs: nowMs },
      spec: { holderIdentity: this.nodeName, leaseDurationSeconds, renewTimeMs: nowMs },
    };
    this.api.submit({ kind: "LeaseRenewed", key, renewTimeMs: nowMs, lease }, false, undefined, { retry: false });
  }

  /** The containers start once their images are on the node (image-puller.ts), after the container start latency. */
  private scheduleStart(key: string): void {
    const delayMs = Math.round(this.prng.logNormal(this.params.podStartMedianMs, this.params.podStartSigma));
    const pod = this.api.state.pods.get(key);
    const nowMs = this.engine.nowMs;
    // The init containers' images too (upstream pulls each just before its container starts; here all come first).
    const containers = pod?.spec.initContainers === undefined ? pod?.spec.containers : [...pod.spec.initContainers, ...pod.spec.containers];
    const images = pod === undefined || containers === undefined ? { readyMs: nowMs } : this.images.ensure(containers, nowMs);
    const pending = pod !== undefined && pod.status.phase === "Pending";
    if ("neverPulled" in images) {
      // ErrImageNeverPull: the kubelet keeps waiting for an image nobody will pull.
      if (pending) this.api.submit({ kind: "ContainerWaiting", key, reason: "ErrImageNeverPull", image: images.neverPulled, pullMs: 0 }, false);
      return;
    }
    const pullMs = images.readyMs - nowMs;
    if (pending && images.pulling !== undefined && pullMs > 0) this.api.submit({ kind: "ContainerWaiting", key, reason: "ContainerCreating", image: images.pulling, pullMs }, false);
    this.engine.after(pullMs + delayMs, this, tagStart, { key, epoch: this.epoch });
  }

  /** The pod goes once its container stopped (termination.ts): it holds its node's room until then. */
  private scheduleRemove(key: string): void {
    // Drawn for every pod, so a rule's stopAfter leaves the other pods' draws alone.
    const defaultStopMs = defaultAppStopMs(this.prng);
    const pod = this.api.state.pods.get(key);
    const graceMs = pod === undefined ? this.params.terminationGraceMs : graceMsOf(pod, this.params.terminationGraceMs);
    // Only a running container has a hook to run and an app to stop (not one waiting in CrashLoopBackOff).
    const running = pod !== undefined && pod.status.phase === "Running" && pod.status.waitingReason === undefined;
    const rule = !running || this.behaviors.length === 0 ? undefined : behaviorOf(pod, this.behaviors);
    const preStopMs = !running ? 0 : rule?.preStop === undefined ? specPreStopMs(mainContainer(pod, rule)) : drawMs(rule.preStop, this.containerPrng);
    const appStopMs = rule?.stopAfter === undefined ? defaultStopMs : drawMs(rule.stopAfter, this.containerPrng);
    this.engine.after(stopDelayMs({ graceMs, preStopMs, appStopMs }), this, tagRemove, { key, epoch: this.epoch });
  }

  /** After a restart: finish pods deleted while down, restart the others (in key order). */
  private resync(): void {
    const keys = [...(this.api.state.podsByNode.get(this.nodeName) ?? [])].sort();
    for (const key of keys) {
      const pod = this.api.state.pods.get(key);
      if (!pod || pod.status.phase === "Succeeded" || pod.status.phase === "Failed") continue;
      if (pod.metadata.deletionMs !== undefined) {
        this.scheduleRemove(key);
        continue;
      }
      // The containers restart with the machine: not ready until they are up again.
      if (pod.status.ready) this.api.submit({ kind: "PodReadyChanged", key, ready: false }, false);
      this.scheduleStart(key);
    }
  }
}
