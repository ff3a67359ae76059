/** A small binary heap over an array, ordered by `less` (which must be a total order). */
export interface Heap<T> {
  readonly items: T[];
  readonly less: (a: T, b: T) => boolean;
}

export function heapOf<T>(less: (a: T, b: T) => boolean): Heap<T> {
  return { items: [], less };
}

export function heapPush<T>(h: Heap<T>, item: T): void {
  const a = h.items;
  a.push(item);
  let i = a.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!h.less(a[i] as T, a[parent] as T)) break;
    [a[i], a[parent]] = [a[parent] as T, a[i] as T];
    i = parent;
  }
}

export function heapPeek<T>(h: Heap<T>): T | undefined {
  return h.items[0];
}

export function heapPop<T>(h: Heap<T>): T | undefined {
  const a = h.items;
  if (a.length === 0) return undefined;
  const top = a[0] as T;
  const last = a.pop() as T;
  if (a.length > 0) {
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && h.less(a[l] as T, a[m] as T)) m = l;
      if (r < a.length && h.less(a[r] as T, a[m] as T)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m] as T, a[i] as T];
      i = m;
    }
  }
  return top;
}

/** Removes every item matching `drop` (O(n) rebuild; rare: deletions of queued pods). */
export function heapRemoveWhere<T>(h: Heap<T>, drop: (item: T) => boolean): void {
  const kept = h.items.filter((x) => !drop(x));
  h.items.length = 0;
  for (const x of kept) heapPush(h, x);
}
