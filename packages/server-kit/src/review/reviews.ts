import { randomUUID } from 'node:crypto';
import {
  SCREENSHOTS_PER_SESSION,
  SessionEventSchema,
  parse,
  reviewRecords,
  reviewerIdOf,
  type Feed,
  type Flag,
  type FlagInput,
  type Note,
  type NoteInput,
  type ReviewerClaims,
  type Screenshot,
  type ScreenshotType,
  type SessionEvent,
  type SignalDismiss,
  type SignalDismissal,
  type Signer,
  type SupervisorClaims,
  type VerdictEntry,
  type VerdictInput,
} from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Actor, Sessions } from '../sessions.js';
import type { KitStore } from '../store/kit-store.js';
import type { PhotoStore, StoredPhoto } from '../store/photo-store.js';
import type { SessionRecord } from '../store/session-store.js';
import type { VerdictSigner } from './verdict-signatures.js';

/** A person who may review a session: a supervisor or a reviewer of the candidate. */
export type ReviewerToken = SupervisorClaims | ReviewerClaims;

/** What {@link Reviews} needs of the kit. */
export interface ReviewsDeps {
  sessions: Sessions;
  store: KitStore;
  /** Where screenshots are kept, beside the identity photos under keys of their own. */
  photos: PhotoStore;
  verdicts: VerdictSigner;
  logger: Logger;
}

/** Where the image of a session's screenshot is kept in the photo store. */
export function screenshotKey(sessionId: string, screenshotId: string): string {
  return `${sessionId}/screenshots/${screenshotId}`;
}

/**
 * The review rules: notes, screenshots, flags, judgements of integrity signals and signed verdicts,
 * each appended to the session's log in one change naming the person behind it. A refusal writes
 * nothing.
 */
export class Reviews {
  constructor(private readonly deps: ReviewsDeps) {}

  async addNote(record: SessionRecord, claims: ReviewerToken, input: NoteInput): Promise<Note> {
    const noteId = randomUUID();
    const event = await this.append(record, claims, () => ({ type: 'note.added', data: { noteId, at: input.at, text: input.text, by: signerOf(claims) } }));
    return reviewRecords([event]).notes[0]!;
  }

  /** A flag; with `signalSeq` it confirms that integrity signal, which must not be judged yet. */
  async addFlag(record: SessionRecord, claims: ReviewerToken, input: FlagInput): Promise<Flag> {
    if (input.signalSeq !== undefined) await this.requireSignal(record.sessionId, input.signalSeq, 'bad-message');
    const flagId = randomUUID();
    const event = await this.append(record, claims, (current) => {
      if (input.signalSeq !== undefined) judge(current, input.signalSeq);
      return { type: 'flag.created', data: { flagId, ...input, by: signerOf(claims) } };
    });
    return reviewRecords([event]).flags[0]!;
  }

  /** Judges the integrity signal at `signalSeq` no incident. A signal is judged once: confirmed or dismissed. */
  async dismissSignal(record: SessionRecord, claims: ReviewerToken, signalSeq: number, input: SignalDismiss): Promise<SignalDismissal> {
    await this.requireSignal(record.sessionId, signalSeq, 'not-found');
    const event = await this.append(record, claims, (current) => {
      judge(current, signalSeq);
      return { type: 'signal.dismissed', data: { signalSeq, ...(input.comment ? { comment: input.comment } : {}), by: signerOf(claims) } };
    });
    return reviewRecords([event]).dismissals[0]!;
  }

  /**
   * Signs a verdict on an ended session. A session with a verdict gets a revision: it needs a
   * comment, and its signature covers the verdict it revises.
   */
  async signVerdict(record: SessionRecord, claims: ReviewerToken, input: VerdictInput): Promise<VerdictEntry> {
    const verdictId = randomUUID();
    const event = await this.append(record, claims, (current, now) => {
      if (current.clock.endedAt === null) throw new KitError('conflict', 'Sign the verdict once the exam ended.');
      const earlier = current.verdict;
      if (earlier && !input.comment) throw new KitError('bad-message', 'This session has a verdict already: a revision needs a comment saying why.');
      const reason = input.verdict === 'rejected' ? input.reason : undefined;
      const entry = {
        verdictId,
        verdict: input.verdict,
        ...(reason ? { reason } : {}),
        ...(input.comment ? { comment: input.comment } : {}),
        ...(earlier ? { revises: earlier.verdictId, previous: earlier.signature } : {}),
        by: signerOf(claims),
      };
      const { sessionId, examId, candidateId } = current;
      const signature = this.deps.verdicts.sign({ sessionId, examId, candidateId, ...entry, signedAt: now });
      current.verdict = { verdictId, verdict: input.verdict, ...(reason ? { reason } : {}), signedAt: now, signature };
      return { type: 'verdict.signed', data: { ...entry, signature } };
    });
    return reviewRecords([event]).verdicts[0]!;
  }

  /** Refuses a screenshot the session has no room for, before its image is read. */
  requireScreenshotRoom(record: SessionRecord): void {
    if ((record.screenshots?.length ?? 0) >= SCREENSHOTS_PER_SESSION) {
      throw new KitError('conflict', `This session has ${SCREENSHOTS_PER_SESSION} screenshots, the most it may keep.`);
    }
  }

  /** Stores a screenshot's image, then logs it; an image the log refuses is deleted again. */
  async addScreenshot(
    record: SessionRecord,
    claims: ReviewerToken,
    shot: { feed: Feed; at: number; width: number; height: number },
    image: Uint8Array,
    contentType: ScreenshotType,
  ): Promise<Screenshot> {
    const screenshotId = randomUUID();
    const key = screenshotKey(record.sessionId, screenshotId);
    await this.deps.photos.put(key, image, contentType);
    try {
      const event = await this.append(record, claims, (current) => {
        this.requireScreenshotRoom(current);
        current.screenshots = [...(current.screenshots ?? []), { screenshotId, contentType }];
        return { type: 'screenshot.taken', data: { screenshotId, ...shot, contentType, bytes: image.length, by: signerOf(claims) } };
      });
      return reviewRecords([event]).screenshots[0]!;
    } catch (error) {
      await this.deps.photos.delete(key).catch((cleanup) => this.deps.logger.error(`deleting refused screenshot ${key} failed`, cleanup));
      throw error;
    }
  }

  /** A stored screenshot's image, if the session still holds it. */
  async screenshot(record: SessionRecord, screenshotId: string): Promise<StoredPhoto | undefined> {
    if (!record.screenshots?.some((s) => s.screenshotId === screenshotId)) return undefined;
    return this.deps.photos.get(screenshotKey(record.sessionId, screenshotId));
  }

  /**
   * Deletes every screenshot image of the session (the log keeps who took what, and says they were
   * deleted). Resolves with how many were deleted.
   */
  async deleteScreenshots(sessionId: string, actor: Actor): Promise<number> {
    const record = await this.deps.sessions.require(sessionId);
    const shots = record.screenshots ?? [];
    if (shots.length === 0) return 0;
    // The images first: a screenshot the log calls deleted is gone.
    await Promise.all(shots.map((shot) => this.deps.photos.delete(screenshotKey(sessionId, shot.screenshotId))));
    const deleted = new Set(shots.map((shot) => shot.screenshotId));
    await this.deps.sessions.change(sessionId, actor, (current) => {
      const gone = (current.screenshots ?? []).filter((shot) => deleted.has(shot.screenshotId));
      if (gone.length === 0) return [];
      current.screenshots = (current.screenshots ?? []).filter((shot) => !deleted.has(shot.screenshotId));
      return [{ type: 'screenshot.deleted', data: { screenshotIds: gone.map((shot) => shot.screenshotId) } }];
    });
    return shots.length;
  }

  /** Refuses a `seq` that is no integrity signal of the session (events never change: checking before the change is safe). */
  private async requireSignal(sessionId: string, seq: number, code: 'bad-message' | 'not-found'): Promise<void> {
    const [event] = await this.deps.store.listEvents(sessionId, seq - 1, 1);
    if (!event || event.seq !== seq) throw new KitError(code, `This session has no event ${seq}.`);
    // A dismissal is a `signal.*` event too, but a person's judgement, not a signal.
    if (!event.type.startsWith('signal.') || event.type === 'signal.dismissed') {
      throw new KitError(code, `Event ${seq} of this session is no integrity signal (it is ${event.type}).`);
    }
  }

  /** Appends the one event `draft` makes of the session as it is now; its data must fit an event. */
  private async append(
    record: SessionRecord,
    claims: ReviewerToken,
    draft: (current: SessionRecord, now: number) => { type: string; data: Record<string, unknown> },
  ): Promise<SessionEvent> {
    const actor: Actor = { source: claims.role, by: claims.name };
    const { events } = await this.deps.sessions.change(record.sessionId, actor, (current, now) => {
      const { type, data } = draft(current, now);
      const fits = parse(SessionEventSchema.entries.data, data);
      if (!fits.ok) throw new KitError('bad-message', `The texts are too long together for one log entry (${fits.message}).`);
      return [{ type, data }];
    });
    return events[0]!;
  }
}

/** Who a token names, as review records sign it. */
export function signerOf(claims: ReviewerToken): Signer {
  return { role: claims.role, id: reviewerIdOf(claims), name: claims.name };
}

/** Marks an integrity signal judged, or refuses a second judgement. */
function judge(record: SessionRecord, signalSeq: number): void {
  if (record.judgedSignals?.includes(signalSeq)) {
    throw new KitError('conflict', `Integrity signal ${signalSeq} was already confirmed or dismissed; it is judged once. Add a note to say more.`);
  }
  record.judgedSignals = [...(record.judgedSignals ?? []), signalSeq];
}
