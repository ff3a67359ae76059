/**
 * A metric quantity as the HPA reads it: Quantity.MilliValue() ("500m" → 500, "2" → 2000,
 * "1Gi" → 1073741824000), whatever the metric measures. Encoding writes "500m" or "2".
 */
import { Effect, Schema, SchemaGetter } from "effect";
import { formatCpuMilli } from "../model/units.ts";
import { issueAt } from "./problem.ts";
import { quantityOf } from "./quantity.ts";

export const MilliQuantity = Schema.Union([Schema.String, Schema.Number]).annotate({ expected: 'a quantity like "500m", "2" or "1Gi"' }).pipe(
  Schema.decodeTo(Schema.Int, {
    decode: SchemaGetter.transformEffect((text: string | number) => {
      const q = quantityOf(text, "milli");
      return "error" in q ? Effect.fail(issueAt([], q.error, { showFound: true })) : Effect.succeed(q.value);
    }),
    encode: SchemaGetter.transform((milli: number): string | number => formatCpuMilli(milli)),
  }),
);
