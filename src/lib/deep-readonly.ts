/**
 * A value no one may change, all the way down: what the read cache hands out may be shared by every
 * later request (src/db/read-cache.ts), so changing it would change what they read.
 */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends ReadonlyMap<infer Key, infer Value>
    ? ReadonlyMap<DeepReadonly<Key>, DeepReadonly<Value>>
    : T extends ReadonlySet<infer Item>
      ? ReadonlySet<DeepReadonly<Item>>
      : T extends ReadonlyArray<infer Item>
        ? ReadonlyArray<DeepReadonly<Item>>
        : T extends object
          ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
          : T;

/** Hands a value on as read-only (widening a type, which TypeScript cannot prove for a generic one). */
export function readOnly<T>(value: T): DeepReadonly<T> {
  return value as DeepReadonly<T>;
}

/** Freezes a plain (acyclic) value and everything it holds, so that a cast-away type still cannot change it. */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return readOnly(value);
}
