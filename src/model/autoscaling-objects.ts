/**
 * autoscaling/v2 HorizontalPodAutoscaler and v1 Service, in the model's style (metadata / spec /
 * status). Metric quantities are kept as upstream's replica calculator reads them: milli-units
 * (`MilliValue()`: "500m" cpu → 500, "2" requests-per-second → 2000, "1Gi" → 1073741824000).
 * Both kinds live in the generic object store (stored-objects.ts).
 */
import type { ConditionStatus, LabelSelector, Labels, ObjectMeta, ResourceList } from "./objects.ts";
import type { Ms } from "./units.ts";

export type HpaMetricTargetType = "Utilization" | "Value" | "AverageValue";

/** upstream MetricTarget: which of the three is set follows `type`. */
export interface HpaMetricTarget {
  type: HpaMetricTargetType;
  averageUtilization?: number;
  valueMilli?: number;
  averageValueMilli?: number;
}

export interface HpaMetricIdentifier {
  name: string;
  selector?: LabelSelector;
}

export interface CrossVersionObjectReference {
  apiVersion?: string;
  kind: string;
  name: string;
}

export type HpaMetricSpec =
  | { type: "Resource"; resource: { name: string; target: HpaMetricTarget } }
  | { type: "ContainerResource"; containerResource: { name: string; container: string; target: HpaMetricTarget } }
  | { type: "Pods"; pods: { metric: HpaMetricIdentifier; target: HpaMetricTarget } }
  | { type: "Object"; object: { describedObject: CrossVersionObjectReference; metric: HpaMetricIdentifier; target: HpaMetricTarget } }
  | { type: "External"; external: { metric: HpaMetricIdentifier; target: HpaMetricTarget } };

export type HpaMetricSourceType = HpaMetricSpec["type"];

export interface HpaScalingPolicy {
  type: "Pods" | "Percent";
  value: number;
  periodSeconds: number;
}

export type HpaSelectPolicy = "Max" | "Min" | "Disabled";

/** upstream HPAScalingRules; `tolerance` is KEP-4951's per-direction tolerance (a fraction, 0.05 = 5 %). */
export interface HpaScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: HpaSelectPolicy;
  policies?: HpaScalingPolicy[];
  tolerance?: number;
}

export interface HpaBehavior {
  scaleUp?: HpaScalingRules;
  scaleDown?: HpaScalingRules;
}

export type HpaConditionType = "AbleToScale" | "ScalingActive" | "ScalingLimited";

export interface HpaCondition {
  type: HpaConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
  lastTransitionMs: Ms;
}

/** One metric's current value as the controller saw it (upstream MetricStatus, flattened). */
export interface HpaMetricStatus {
  type: HpaMetricSourceType;
  /** The resource or metric name. */
  name: string;
  container?: string;
  describedObject?: CrossVersionObjectReference;
  selector?: LabelSelector;
  current: { averageUtilization?: number; averageValueMilli?: number; valueMilli?: number };
}

export interface HorizontalPodAutoscalerStatus {
  currentReplicas: number;
  desiredReplicas: number;
  lastScaleMs?: Ms;
  observedGeneration?: number;
  currentMetrics: HpaMetricStatus[];
  conditions: HpaCondition[];
}

export interface HorizontalPodAutoscaler {
  kind: "HorizontalPodAutoscaler";
  metadata: ObjectMeta;
  spec: {
    scaleTargetRef: CrossVersionObjectReference;
    /** Defaulted to 1 by the API (0 only with the HPAScaleToZero gate). */
    minReplicas: number;
    maxReplicas: number;
    /** Defaulted by the API to cpu Utilization 80 % when empty. */
    metrics: HpaMetricSpec[];
    behavior?: HpaBehavior;
  };
  status: HorizontalPodAutoscalerStatus;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: "TCP" | "UDP" | "SCTP";
}

/** v1 Service: the twin uses its selector (which pods are endpoints) and its ports. */
export interface Service {
  kind: "Service";
  metadata: ObjectMeta;
  spec: {
    type: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
    /** Absent: a Service without selector (endpoints managed by hand), which gets no traffic in the twin. */
    selector?: Labels;
    ports: ServicePort[];
  };
}

/**
 * metrics.k8s.io/v1beta1 PodMetrics: what metrics-server last scraped for a pod — each container's
 * usage (cpu millicores, memory bytes) averaged over `windowMs` ending at `timestampMs`.
 */
export interface PodMetrics {
  kind: "PodMetrics";
  metadata: ObjectMeta;
  timestampMs: Ms;
  windowMs: Ms;
  containers: { name: string; usage: ResourceList }[];
}

/** autoscaling.k8s.io/v1 VerticalPodAutoscaler update modes ("Auto" is the deprecated name of Recreate). */
export type VpaUpdateMode = "Off" | "Initial" | "Recreate" | "InPlaceOrRecreate" | "InPlace" | "Auto";

export interface VpaContainerPolicy {
  /** A container name, or "*" for every container without its own policy. */
  containerName: string;
  mode: "Auto" | "Off";
  minAllowed?: ResourceList;
  maxAllowed?: ResourceList;
  /** Defaulted to cpu and memory. */
  controlledResources: ("cpu" | "memory")[];
}

/** A recommendation for one container (cpu millicores, memory bytes). */
export interface VpaContainerRecommendation {
  containerName: string;
  target: ResourceList;
  lowerBound: ResourceList;
  upperBound: ResourceList;
  uncappedTarget: ResourceList;
}

export interface VerticalPodAutoscaler {
  kind: "VerticalPodAutoscaler";
  metadata: ObjectMeta;
  spec: {
    targetRef: CrossVersionObjectReference;
    /** Defaulted to Recreate (upstream types.go UpdatePolicy: "The default is 'Recreate'"). */
    updateMode: VpaUpdateMode;
    /** updatePolicy.minReplicas: the updater's per-VPA override of --min-replicas (absent: the global value). */
    minReplicas?: number;
    containerPolicies: VpaContainerPolicy[];
  };
  status: {
    recommendation?: { containerRecommendations: VpaContainerRecommendation[] };
    conditions: { type: string; status: "True" | "False"; reason?: string; message?: string; lastTransitionMs: Ms }[];
  };
}

export type AutoscalingObject = HorizontalPodAutoscaler | Service | PodMetrics | VerticalPodAutoscaler;
