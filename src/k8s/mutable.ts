/**
 * Decoded schema values are typed readonly; the model's interfaces are not. Decoding already built
 * fresh objects, so handing them over needs only a type-level change (still structurally checked
 * against the model's types where they are assigned).
 */
export type DeepMutable<T> = T extends readonly (infer U)[]
  ? DeepMutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;

export function asMutable<T>(value: T): DeepMutable<T> {
  return value as DeepMutable<T>;
}
