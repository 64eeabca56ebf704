/** Called with the new value whenever it changes. */
export type Listener<T> = (value: T) => void;

/** A value that can be read now and watched for changes: the state shape every core object exposes. */
export interface Readable<T> {
  readonly value: T;
  /** Calls `listener` on every change (not immediately). Returns the function that stops it. */
  subscribe(listener: Listener<T>): () => void;
}

/** A writable {@link Readable}. Values are replaced, never mutated, so `===` tells a change. */
export class Store<T> implements Readable<T> {
  private readonly listeners = new Set<Listener<T>>();

  constructor(private current: T) {}

  get value(): T {
    return this.current;
  }

  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(next: T): void {
    if (Object.is(next, this.current)) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next);
  }

  update(change: (current: T) => T): void {
    this.set(change(this.current));
  }
}
