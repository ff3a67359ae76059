/**
 * One pod's queue over one load slice (5 s), without per-request events. Two regimes:
 *
 * - A backlog or an arrival rate above capacity: a fluid queue (the deterministic fluid
 *   approximation, Kleinrock, "Queueing Systems" vol. 2, §2.1; Newell, "Applications of Queueing
 *   Theory", ch. 2): the queue grows at λ − μ (or drains at μ − λ) in a straight line, is capped at
 *   the queue limit (arrivals beyond it are dropped for saturation), and what is left at the end
 *   of the slice is carried into the next. A request arriving at τ waits q(τ)/μ.
 * - No backlog and λ < μ: the steady M/M/c queue (c = the pod's parallel servers): a request
 *   waits with probability C = Erlang C(c, λ/μs) and then an exponential time of rate cμs − λ
 *   (P(W > t) = C·e^{−(cμs−λ)t}; Kleinrock vol. 1, §3.5). Near saturation the steady tail is far
 *   longer than one slice can build, so its rate is at least cμs/√(λT): the mean wait is at most
 *   the √(λT) fluctuation of the slice's arrivals served at full capacity (a diffusion-scale bound).
 *
 * A request's latency is its service time plus its wait. Servers: the pod serves at most
 * `concurrency` requests at once, and a request in service uses cpuPerRequest / serviceTime
 * millicores, so its available CPU (limit − base) runs at most that many at full speed; with less
 * CPU than one request needs, the one server slows down (service time cpuPerRequest / available).
 */

/** What bounds a pod's throughput: its servers, each request's service time, and the capacity (requests/s). */
export interface PodCapacity {
  /** Parallel servers for the Erlang C shape (≥ 1; Infinity when nothing bounds it). */
  servers: number;
  /** Seconds one request takes in service. */
  serviceTimeS: number;
  /** Requests per second the pod completes at most: min(concurrency / serviceTime, available CPU / cpu per request). */
  capacityPerS: number;
}

/** `serviceTimeS`: the nominal time of one request (an explicit serviceTime, or its CPU time on one core). */
export function podCapacity(concurrency: number, serviceTimeS: number, cpuMilliPerRequest: number, availableMilli: number): PodCapacity {
  const cpuBound = cpuMilliPerRequest > 0 ? availableMilli / cpuMilliPerRequest : Number.POSITIVE_INFINITY;
  const slotBound = serviceTimeS > 0 ? concurrency / serviceTimeS : Number.POSITIVE_INFINITY;
  const capacityPerS = Math.min(cpuBound, slotBound);
  // Whole servers running at full speed, or one slowed down when the CPU cannot run even one.
  const fullSpeed = Math.min(concurrency, serviceTimeS * cpuBound);
  const servers = fullSpeed === Number.POSITIVE_INFINITY ? fullSpeed : Math.max(1, Math.floor(fullSpeed));
  const slowed = Number.isFinite(capacityPerS) ? servers / capacityPerS : 0;
  return { servers, serviceTimeS: Math.max(serviceTimeS, Number.isFinite(servers) ? slowed : 0), capacityPerS };
}

/** Erlang C: the probability an arrival waits in M/M/c with `servers` and offered load `a` = λ/μ (a < servers), by the Erlang B recursion. */
export function erlangC(servers: number, a: number): number {
  if (a <= 0) return 0;
  if (a >= servers) return 1;
  // Far below its servers a pod never queues: the probability is below 1e-9 (and the recursion would be long).
  if (servers > 50 && a < servers / 2) return 0;
  let b = 1;
  for (let n = 1; n <= servers; n++) b = (a * b) / (n + a * b);
  return (servers * b) / (servers - a * (1 - b));
}

/** A share of a slice's admitted requests whose waits spread evenly between two values. */
export interface WaitSpan {
  requests: number;
  waitFromS: number;
  waitToS: number;
}

/** Requests that met no backlog below saturation: each waits with probability `waitProbability`, then Exp(`waitRatePerS`). */
export interface SteadyWaits {
  requests: number;
  waitProbability: number;
  waitRatePerS: number;
}

export interface SliceQueue {
  /** Requests taken in (served now or queued to be served); arrived − admitted were dropped. */
  admitted: number;
  droppedSaturated: number;
  /** Requests completed in the slice (what the CPU worked on). */
  completed: number;
  backlogEnd: number;
  spans: WaitSpan[];
  steady?: SteadyWaits;
}

/** One slice of `durationS` for a pod with `backlog` queued, `arrived` requests at an even rate. */
export function queueSlice(backlog: number, arrived: number, capacity: PodCapacity, queueLimit: number, durationS: number): SliceQueue {
  const lambda = arrived / durationS;
  const mu = capacity.capacityPerS;
  if (!Number.isFinite(mu)) return { admitted: arrived, droppedSaturated: 0, completed: backlog + arrived, backlogEnd: 0, spans: [{ requests: arrived, waitFromS: 0, waitToS: 0 }] };
  const spans: WaitSpan[] = [];
  const out: SliceQueue = { admitted: 0, droppedSaturated: 0, completed: 0, backlogEnd: 0, spans };
  const q = Math.min(backlog, queueLimit);
  if (lambda > mu) {
    // Grows to the limit, then admits only what completes.
    const toFullS = Math.min(durationS, (queueLimit - q) / (lambda - mu));
    const qFull = q + (lambda - mu) * toFullS;
    if (toFullS > 0) spans.push({ requests: lambda * toFullS, waitFromS: q / mu, waitToS: qFull / mu });
    const restS = durationS - toFullS;
    if (restS > 0) spans.push({ requests: mu * restS, waitFromS: qFull / mu, waitToS: qFull / mu });
    out.droppedSaturated = (lambda - mu) * restS;
    out.backlogEnd = qFull;
  } else {
    // Drains the backlog, then steady.
    const drainS = q === 0 ? 0 : lambda === mu ? durationS : Math.min(durationS, q / (mu - lambda));
    const qEnd = q - (mu - lambda) * drainS;
    if (drainS > 0) spans.push({ requests: lambda * drainS, waitFromS: q / mu, waitToS: qEnd / mu });
    out.backlogEnd = drainS === durationS ? qEnd : 0;
    const steadyS = durationS - drainS;
    if (steadyS > 0 && lambda > 0) out.steady = steadyWaits(lambda * steadyS, lambda, capacity, durationS);
  }
  out.admitted = arrived - out.droppedSaturated;
  out.completed = backlog + out.admitted - out.backlogEnd;
  return out;
}

function steadyWaits(requests: number, lambda: number, capacity: PodCapacity, durationS: number): SteadyWaits {
  const c = capacity.servers;
  if (!Number.isFinite(c)) return { requests, waitProbability: 0, waitRatePerS: Number.POSITIVE_INFINITY };
  const mu = capacity.capacityPerS;
  const a = (lambda / mu) * c;
  const floorRate = mu / Math.sqrt(Math.max(1, lambda * durationS));
  return { requests, waitProbability: erlangC(c, a), waitRatePerS: Math.max(mu - lambda, floorRate) };
}
