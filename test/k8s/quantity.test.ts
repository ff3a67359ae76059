import { fc, test } from "@fast-check/vitest";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { decodeObject, encodeObject } from "../../src/k8s/decode.ts";
import { formatQuantity, QuotaList, quantityOf, RatioList, ResourceList, resourceUnit } from "../../src/k8s/quantity.ts";

function decoded<T>(r: Result.Result<T, unknown>): T {
  if (Result.isFailure(r)) throw new Error(JSON.stringify(r.failure));
  return r.success;
}

describe("quantities", () => {
  it("convert in the unit of their resource, rounding up as upstream does", () => {
    expect(decoded(decodeObject(ResourceList, { cpu: "250m", memory: "2Gi", pods: 110, "nvidia.com/gpu": "1", "ephemeral-storage": "1e9" }))).toEqual({
      cpu: 250, memory: 2 * 2 ** 30, pods: 110, "nvidia.com/gpu": 1, "ephemeral-storage": 1e9,
    });
    expect(decoded(decodeObject(ResourceList, { cpu: "0.0001", memory: "0.5" }))).toEqual({ cpu: 1, memory: 1 });
    expect(decoded(decodeObject(QuotaList, { "requests.cpu": "4", "limits.cpu": "500m", cpu: 1, pods: "10" }))).toEqual({ "requests.cpu": 4000, "limits.cpu": 500, cpu: 1000, pods: 10 });
    expect(decoded(decodeObject(RatioList, { cpu: "1.5", memory: 2 }))).toEqual({ cpu: 1.5, memory: 2 });
  });

  it("keys come out sorted, whatever the manifest's order", () => {
    expect(Object.keys(decoded(decodeObject(ResourceList, { pods: 1, cpu: 1, memory: 1 })))).toEqual(["cpu", "memory", "pods"]);
  });

  it("a bad quantity is an error at its key, never a zero", () => {
    expect(decodeObject(ResourceList, { cpu: "1", memory: "16GB" })).toEqual(
      Result.fail({ path: ["memory"], message: 'expected a quantity like "500m", "2", "512Mi" or "4Gi", got "16GB"', pointAt: "value" }),
    );
    expect(decodeObject(QuotaList, { pods: -3 })).toEqual(Result.fail({ path: ["pods"], message: "expected a quantity that is not negative, got -3", pointAt: "value" }));
    expect(decodeObject(RatioList, { cpu: "0.5" })).toEqual(Result.fail({ path: ["cpu"], message: 'expected a ratio of at least 1, got "0.5"', pointAt: "value" }));
    expect(decodeObject(ResourceList, { cpu: [1] })).toMatchObject(Result.fail({ path: ["cpu"] }));
  });

  it("encode writes canonical text", () => {
    expect(encodeObject(ResourceList, { cpu: 1500, memory: 512 * 2 ** 20, pods: 110, storage: 1e9 + 1 })).toEqual({ cpu: "1500m", memory: "512Mi", pods: "110", storage: "1000000001" });
    expect(encodeObject(ResourceList, { cpu: 2000 })).toEqual({ cpu: "2" });
  });

  test.prop([fc.constantFrom("cpu", "memory", "pods", "requests.cpu", "requests.storage"), fc.nat({ max: Number.MAX_SAFE_INTEGER })])(
    "formatQuantity then quantityOf gives the integer back",
    (name, value) => {
      const unit = resourceUnit(name);
      expect(quantityOf(formatQuantity(name, value, unit), unit)).toEqual({ value });
    },
  );

  test.prop([fc.dictionary(fc.constantFrom("cpu", "memory", "limits.cpu", "count/pods"), fc.nat({ max: 2 ** 50 }))])("quota lists round-trip", (list) => {
    expect(decoded(decodeObject(QuotaList, encodeObject(QuotaList, list)))).toEqual(list);
  });
});
