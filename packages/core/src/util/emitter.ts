/** Typed discrete events, for things that happen rather than state that is. */
export class Emitter<Events extends Record<string, unknown>> {
  private readonly handlers = new Map<keyof Events, Set<(detail: never) => void>>();

  on<K extends keyof Events>(type: K, handler: (detail: Events[K]) => void): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler as (detail: never) => void);
    return () => set.delete(handler as (detail: never) => void);
  }

  emit<K extends keyof Events>(type: K, detail: Events[K]): void {
    for (const handler of [...(this.handlers.get(type) ?? [])]) (handler as (d: Events[K]) => void)(detail);
  }
}
