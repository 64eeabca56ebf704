import type { Feed, FeedQuality } from '@proctorkit/core/protocol';

/** A candidate's or a phone's page, held by one instance. */
export interface PageEntry {
  kind: 'candidate' | 'phone';
  sessionId: string;
  connectionId: string;
  /** When it joined (ms), so the newest of two pages of one session wins, wherever each is. */
  since: number;
  /** A phone's pairing. */
  pairingId?: string;
}

/** A supervisor's connection subscribed to a session's feeds. */
export interface SubscriptionEntry {
  kind: 'subscription';
  sessionId: string;
  connectionId: string;
  supervisorId: string;
  feeds: Feed[];
  quality: FeedQuality;
}

export type DirectoryEntry = PageEntry | SubscriptionEntry;

/** An entry and the instance that holds it. */
export interface Located<E extends DirectoryEntry = DirectoryEntry> {
  instance: string;
  entry: E;
}

/** An entry's name within its session: one candidate, one phone, one subscription per supervisor connection. */
export function entryName(entry: Pick<DirectoryEntry, 'kind' | 'connectionId'>): string {
  return entry.kind === 'subscription' ? `subscription:${entry.connectionId}` : entry.kind;
}

type Entries = Map<string, Map<string, DirectoryEntry>>;

/**
 * Who holds which page and which subscription, per instance: this one's own entries and a mirror
 * of every other instance's, as they announced them. Pure bookkeeping; {@link Cluster} keeps it current.
 */
export class Directory {
  /** instance → sessionId → entry name → entry. */
  private readonly byInstance = new Map<string, Entries>();

  /** Sets an entry of `instance`; returns the one it replaced. */
  put(instance: string, entry: DirectoryEntry): DirectoryEntry | undefined {
    let sessions = this.byInstance.get(instance);
    if (!sessions) this.byInstance.set(instance, (sessions = new Map()));
    let entries = sessions.get(entry.sessionId);
    if (!entries) sessions.set(entry.sessionId, (entries = new Map()));
    const name = entryName(entry);
    const previous = entries.get(name);
    entries.set(name, entry);
    return previous;
  }

  /** Removes an entry of `instance`; returns it, if it was there. */
  drop(instance: string, sessionId: string, name: string): DirectoryEntry | undefined {
    const entries = this.byInstance.get(instance)?.get(sessionId);
    const entry = entries?.get(name);
    if (!entry) return undefined;
    entries!.delete(name);
    if (entries!.size === 0) this.byInstance.get(instance)!.delete(sessionId);
    return entry;
  }

  /** Every entry of `instance`. */
  entriesOf(instance: string): DirectoryEntry[] {
    return [...(this.byInstance.get(instance)?.values() ?? [])].flatMap((entries) => [...entries.values()]);
  }

  /** Forgets `instance`; returns what it held. */
  forget(instance: string): DirectoryEntry[] {
    const entries = this.entriesOf(instance);
    this.byInstance.delete(instance);
    return entries;
  }

  /** The session's page of `kind`: the newest, if two instances each think they hold one. */
  page(sessionId: string, kind: PageEntry['kind']): Located<PageEntry> | undefined {
    let found: Located<PageEntry> | undefined;
    for (const [instance, sessions] of this.byInstance) {
      const entry = sessions.get(sessionId)?.get(kind) as PageEntry | undefined;
      if (entry && (!found || newer(entry, instance, found))) found = { instance, entry };
    }
    return found;
  }

  /** The session's page of `kind` that `instance` holds. */
  pageOf(instance: string, sessionId: string, kind: PageEntry['kind']): PageEntry | undefined {
    return this.byInstance.get(instance)?.get(sessionId)?.get(kind) as PageEntry | undefined;
  }

  /** Every supervisor connection subscribed to the session, on any instance. */
  subscriptions(sessionId: string): Located<SubscriptionEntry>[] {
    const found: Located<SubscriptionEntry>[] = [];
    for (const [instance, sessions] of this.byInstance) {
      for (const entry of sessions.get(sessionId)?.values() ?? []) if (entry.kind === 'subscription') found.push({ instance, entry });
    }
    return found;
  }

  /** One subscription, wherever it is. */
  subscription(sessionId: string, connectionId: string): Located<SubscriptionEntry> | undefined {
    for (const [instance, sessions] of this.byInstance) {
      const entry = sessions.get(sessionId)?.get(`subscription:${connectionId}`);
      if (entry) return { instance, entry: entry as SubscriptionEntry };
    }
    return undefined;
  }

  /** The instances it holds entries of. */
  instances(): string[] {
    return [...this.byInstance.keys()];
  }
}

/** Of two pages of one session, the one that joined last; the instance id breaks a tie, the same way everywhere. */
export function newer(entry: PageEntry, instance: string, than: Located<PageEntry>): boolean {
  return entry.since > than.entry.since || (entry.since === than.entry.since && instance > than.instance);
}
