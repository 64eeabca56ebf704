import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Readable } from '@proctorkit/core';

/** Re-renders its host whenever a core {@link Readable} changes; rebind it when the source changes. */
export class ReadableController<T> implements ReactiveController {
  private source?: Readable<T>;
  private stop?: () => void;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** The source's current value, or `undefined` while unbound. */
  get value(): T | undefined {
    return this.source?.value;
  }

  bind(source: Readable<T> | undefined): void {
    this.stop?.();
    this.stop = undefined;
    this.source = source;
    if (source) this.stop = source.subscribe(() => this.host.requestUpdate());
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.bind(undefined);
  }
}
