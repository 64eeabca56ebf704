import { reviewRecords, type SessionEvent, type SessionReport } from '@proctorkit/core/protocol';
import { identityView } from '../http/identity-routes.js';
import { recordingManifest } from '../recordings/manifest.js';
import type { Recordings } from '../recordings/recordings.js';
import type { Sessions } from '../sessions.js';
import type { SessionRecord } from '../store/session-store.js';
import { reportHtml } from './report-html.js';
import type { UrlSigner } from './signed-urls.js';
import type { VerdictSigner } from './verdict-signatures.js';

/** What {@link ReportMaker} needs of the kit. */
export interface ReportDeps {
  sessions: Sessions;
  recordings: Recordings;
  urls: UrlSigner;
  verdicts: VerdictSigner;
}

/** Where a report's links point and until when they work. */
export interface ReportLinks {
  /** The path the kit's router is mounted at, e.g. `/proctor`. */
  basePath: string;
  expiresAt: number;
  now: number;
}

/** The log event in which the candidate's page reports its setup check. */
const DEVICE_CHECK_EVENT = 'log.device-check.completed';

/**
 * Makes a session's report: its summary and whole log with what people recorded about it, and
 * signed links to its recordings, screenshots, identity photos and printable page.
 */
export class ReportMaker {
  constructor(private readonly deps: ReportDeps) {}

  async make(record: SessionRecord, { basePath, expiresAt, now }: ReportLinks): Promise<SessionReport> {
    const { sessions, recordings, urls, verdicts } = this.deps;
    const base = `${basePath}/sessions/${record.sessionId}`;
    const link = (path: string) => urls.sign(`${base}${path}`, expiresAt);
    const summary = await sessions.summary(record);
    const events = await this.allEvents(record.sessionId);
    const reviewed = reviewRecords(events);
    const stored = new Set((record.screenshots ?? []).map((shot) => shot.screenshotId));
    const identity = identityView(record, summary);
    const { sessionId, examId, candidateId } = record;
    const valid = verdicts.verifyChain({ sessionId, examId, candidateId }, reviewed.verdicts);
    return {
      generatedAt: now,
      linksExpireAt: expiresAt,
      session: summary,
      deviceCheck: events.findLast((event) => event.type === DEVICE_CHECK_EVENT) ?? null,
      identity: { ...identity, photoUrls: Object.fromEntries(identity.photos.map((photo) => [photo.photoId, link(`/identity/photos/${photo.photoId}`)])) },
      events,
      flags: reviewed.flags,
      dismissals: reviewed.dismissals,
      notes: reviewed.notes,
      // Only the screenshots whose images are kept: the log still tells of deleted ones.
      screenshots: reviewed.screenshots.filter((shot) => stored.has(shot.screenshotId)).map((shot) => ({ ...shot, url: link(`/screenshots/${shot.screenshotId}`) })),
      recordings: await recordingManifest(record, recordings, (run) => link(`/recordings/${run.feed}/runs/${run.runId}/file`)),
      verdicts: reviewed.verdicts.map((entry, i) => ({ ...entry, signatureValid: valid[i]! })),
      htmlUrl: link('/report?format=html'),
    };
  }

  /** The printable page of a report. */
  html(report: SessionReport): string {
    return reportHtml(report);
  }

  private async allEvents(sessionId: string): Promise<SessionEvent[]> {
    const events: SessionEvent[] = [];
    for (let more = true; more; ) {
      const batch = await this.deps.sessions.events(sessionId, events.at(-1)?.seq ?? 0);
      events.push(...batch.events);
      more = batch.more && batch.events.length > 0;
    }
    return events;
  }
}
