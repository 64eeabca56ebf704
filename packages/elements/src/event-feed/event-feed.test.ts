/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ReviewClient, RoomEvent, SessionEvent } from '@proctorkit/core';
import { describeEvent, formatTime } from './describe-event.js';
import type { ProctorEventFeed } from './event-feed.js';
import './event-feed.js';

const AT = Date.UTC(2026, 0, 12, 10, 42, 3);
let seq = 0;

function event(type: string, data: Record<string, unknown> = {}, change: Partial<SessionEvent> = {}): SessionEvent {
  seq += 1;
  return { seq, at: AT + seq * 1000, type, source: 'candidate', data, ...change };
}

function lines(feed: ProctorEventFeed): string[] {
  return [...feed.shadowRoot!.querySelectorAll('[part="line"]')].map((line) => line.textContent!.replace(/\s+/g, ' ').trim());
}

describe('describeEvent', () => {
  it('says what happened in plain words', () => {
    const supervisor = { source: 'supervisor', by: 'Dr. Reyes' } as const;
    const cases: [SessionEvent, string][] = [
      [event('signal.page-hidden', { since: AT }), 'Page hidden'],
      [event('signal.page-visible', { durationMs: 12_300 }), 'Page visible again (hidden for 12 s)'],
      [event('signal.window-focus', { durationMs: 125_000 }), 'Back in the exam window (away for 2 min 5 s)'],
      [event('signal.copy', { count: 3 }), 'Copied text (3 times)'],
      [event('signal.screen-share-stopped'), 'Screen sharing stopped'],
      [event('session.paused', {}, supervisor), 'Dr. Reyes paused the exam'],
      [event('session.resumed', { pausedForMs: 90_000 }, supervisor), 'Dr. Reyes resumed the exam after 1 min 30 s'],
      [event('session.extended', { minutes: 10 }, { source: 'host', by: 'host' }), 'The exam site added 10 min'],
      [event('session.ended', { reason: 'terminated', message: 'Phone in use' }, supervisor), 'Dr. Reyes ended the exam: “Phone in use”'],
      [event('session.ended', { reason: 'expired' }, { source: 'server' }), 'Time is up: the exam ended'],
      [event('session.started', { durationMs: 5_400_000 }), 'Started the exam (1 h 30 min)'],
      [event('feed.lost', { feed: 'screen' }), 'Screen sharing lost'],
      [event('message.sent', { messageId: 'm-1', text: 'Please face the camera' }, supervisor), 'Dr. Reyes: “Please face the camera”'],
      [event('message.acked', { messageId: 'm-1' }), 'Saw the message ✓'],
      [event('phone.paired', { pairingId: 'p-1', replaced: false }, { source: 'server' }), 'Phone paired'],
      [event('phone.paired', { pairingId: 'p-2', replaced: true }, { source: 'server' }), 'Phone replaced: another phone was paired'],
      [event('phone.room-scan-requested', {}, supervisor), 'Room scan requested by Dr. Reyes'],
      [event('identity.photo', { kind: 'document', photoId: 'f-1' }), 'Sent a photo of their ID document for the identity check'],
      [event('identity.photo', { kind: 'face', photoId: 'f-2' }), 'Sent a photo of their face for the identity check'],
      [event('identity.submitted', { document: 'f-1', face: 'f-2' }), 'Submitted the identity photos for review'],
      [event('identity.approved', {}, supervisor), 'Dr. Reyes confirmed the identity'],
      [event('identity.rejected', { reason: 'Name not readable' }, supervisor), 'Dr. Reyes did not confirm the identity: “Name not readable”'],
      [event('identity.deleted', { photoIds: ['f-1', 'f-2'] }, { source: 'host', by: 'host' }), 'The exam site deleted 2 identity photos'],
      [event('recording.started', { feed: 'webcam', runId: 'r-1' }), 'Webcam recording started'],
      [event('recording.ended', { feed: 'screen', runId: 'r-2', reason: 'share-stopped' }), 'Screen recording stopped: screen sharing stopped'],
      [event('recording.ended', { feed: 'webcam', runId: 'r-1', reason: 'page-closed' }), 'Webcam recording stopped: the exam page was closed or reloaded'],
      [event('recording.complete', { feed: 'phone', runId: 'r-3', durationMs: 754_000 }, { source: 'server' }), 'Phone camera recording saved (12 min 34 s)'],
      [event('recording.incomplete', { feed: 'webcam', runId: 'r-4' }, { source: 'server' }), 'Webcam recording is incomplete: parts of it never arrived or could not be read'],
      [event('recording.deleted', { runs: 2, objects: 2 }, { source: 'host', by: 'host' }), 'The exam site deleted the recordings'],
      [event('recording.deleted', { runs: 2, objects: 2 }, { source: 'server', by: 'retention' }), 'Recordings deleted: the retention period is over'],
      [event('identity.deleted', { photoIds: ['p-1', 'p-2'] }, { source: 'server', by: 'retention' }), 'Deleted 2 identity photos: the retention period is over'],
      [event('log.question.opened', { question: 3 }, { source: 'host' }), 'question.opened · question 3'],
      [event('log.answer.graded', { question: 3, correct: true, tags: ['a'] }), 'answer.graded · question 3, correct true, tags ["a"]'],
    ];
    for (const [input, text] of cases) expect(describeEvent(input).text, input.type).to.equal(text);
  });

  it('words what people record about a session, never as raw data', () => {
    const ana = { role: 'supervisor', id: 's-1', name: 'Ana' };
    const by = { source: 'supervisor', by: 'Ana' } as const;
    const from = AT - 120_000;
    const cases: [SessionEvent, string][] = [
      [event('note.added', { noteId: 'n-1', at: AT + 60 * 1000, text: 'Looks away', by: ana }, by), 'Note by Ana: “Looks away”'],
      [event('note.added', { noteId: 'n-2', at: from, text: 'At the playhead', by: ana }, by), `Note by Ana about ${formatTime(from)}: “At the playhead”`],
      [event('screenshot.taken', { screenshotId: 'x', feed: 'screen', at: AT, width: 1, height: 1, contentType: 'image/jpeg', bytes: 9, by: ana }, by), 'Screenshot of the screen by Ana'],
      [
        event('flag.created', { flagId: 'f', from, to: AT, feeds: ['webcam'], severity: 'high', reason: 'phone-or-device', by: ana }, by),
        `Flag (high): Phone or other device, ${formatTime(from)}–${formatTime(AT)}, by Ana`,
      ],
      [
        event('flag.created', { flagId: 'g', from, to: AT, feeds: ['screen'], severity: 'low', reason: 'other', text: 'Odd tab', by: ana }, by),
        `Flag (low): Other, ${formatTime(from)}–${formatTime(AT)}, by Ana: “Odd tab”`,
      ],
      [event('signal.dismissed', { signalSeq: 3, comment: 'Closed a notification', by: ana }, by), 'Signal dismissed by Ana: “Closed a notification”'],
      [event('signal.dismissed', { signalSeq: 4, by: ana }, by), 'Signal dismissed by Ana'],
      [event('verdict.signed', { verdictId: 'v', verdict: 'accepted', signature: 's', by: ana }, { source: 'reviewer', by: 'Ana' }), 'Verdict: accepted by Ana'],
      [event('verdict.signed', { verdictId: 'w', verdict: 'rejected', reason: 'A second person', signature: 's', by: ana }, by), 'Verdict: not accepted by Ana. Reason: “A second person”'],
      [event('verdict.signed', { verdictId: 'z', verdict: 'inconclusive', signature: 's', by: ana }, by), 'Verdict: inconclusive by Ana'],
    ];
    for (const [input, text] of cases) {
      expect(describeEvent(input).text, input.type).to.equal(text);
      expect(describeEvent(input).tone, input.type).to.equal('review');
    }
  });

  it('marks integrity signals as signals and commands as commands', () => {
    expect(describeEvent(event('signal.copy')).tone).to.equal('signal');
    expect(describeEvent(event('session.paused', {}, { source: 'supervisor', by: 'A' })).tone).to.equal('command');
    expect(describeEvent(event('feed.lost', { feed: 'webcam' })).tone).to.equal('problem');
    expect(describeEvent(event('log.question.opened')).tone).to.equal('log');
  });
});

describe('<proctor-event-feed>', () => {
  it('says so when there is no event yet', async () => {
    const feed = await fixture<ProctorEventFeed>(html`<proctor-event-feed empty="Nothing yet"></proctor-event-feed>`);
    expect(feed.shadowRoot!.querySelector('[part="empty"]')!.textContent).to.equal('Nothing yet');
  });

  it('lists a session’s events newest first, with their time, signals highlighted', async () => {
    const events = [event('session.joined'), event('signal.page-hidden'), event('log.question.opened', { question: 3 })];
    const feed = await fixture<ProctorEventFeed>(html`<proctor-event-feed .events=${events}></proctor-event-feed>`);
    expect(lines(feed)).to.deep.equal([
      `${formatTime(events[2]!.at)} question.opened · question 3`,
      `${formatTime(events[1]!.at)} Page hidden`,
      `${formatTime(events[0]!.at)} Opened the exam page`,
    ]);
    const tones = [...feed.shadowRoot!.querySelectorAll('[part="line"]')].map((line) => line.getAttribute('data-tone'));
    expect(tones).to.deep.equal(['log', 'signal', 'info']);
    expect(feed.shadowRoot!.querySelector('[role="log"]')).to.have.attribute('aria-label', 'Events');
  });

  it('shows when a late event happened, not when it was recorded', async () => {
    const late = event('signal.page-hidden', {}, { occurredAt: AT - 60_000 });
    const feed = await fixture<ProctorEventFeed>(html`<proctor-event-feed .events=${[late]}></proctor-event-feed>`);
    expect(lines(feed)[0]).to.equal(`${formatTime(AT - 60_000)} Page hidden`);
  });

  it('with names, starts each line with the candidate and fires proctor-event-select when one is chosen', async () => {
    const events: RoomEvent[] = [
      { sessionId: 's-1', event: event('signal.copy') },
      { sessionId: 's-2', event: event('feed.lost', { feed: 'webcam' }) },
    ];
    const names = new Map([
      ['s-1', 'Ada Lovelace'],
      ['s-2', 'Alan Turing'],
    ]);
    const feed = await fixture<ProctorEventFeed>(html`<proctor-event-feed .events=${events} .names=${names}></proctor-event-feed>`);
    expect(lines(feed).map((line) => line.slice(formatTime(AT).length + 1))).to.deep.equal(['Alan Turing Webcam lost', 'Ada Lovelace Copied text']);

    const selected = oneEvent(feed, 'proctor-event-select');
    feed.shadowRoot!.querySelectorAll('button')[1]!.click();
    expect((await selected).detail).to.deep.equal({ sessionId: 's-1', seq: events[0]!.event.seq });
  });

  it('shows only the latest `limit` events', async () => {
    const events = Array.from({ length: 5 }, () => event('signal.copy'));
    const feed = await fixture<ProctorEventFeed>(html`<proctor-event-feed .events=${events} limit="2"></proctor-event-feed>`);
    expect(lines(feed)).to.have.length(2);
  });

  describe('with review', () => {
    const ana = { role: 'reviewer', id: 'r-1', name: 'Ana' };
    /** A review client that serves every screenshot as a 4×3 PNG and counts the requests. */
    function fakeReview() {
      const asked: string[] = [];
      const canvas = Object.assign(document.createElement('canvas'), { width: 4, height: 3 });
      const png = new Promise<Blob>((resolve) => canvas.toBlob((blob) => resolve(blob!), 'image/png'));
      const review = { screenshot: (_sessionId: string, id: string) => (asked.push(id), png) } as unknown as ReviewClient;
      return { review, asked };
    }
    const shot = (id: string) =>
      event('screenshot.taken', { screenshotId: id, feed: 'webcam', at: AT, width: 4, height: 3, contentType: 'image/png', bytes: 9, by: ana }, { source: 'reviewer', by: 'Ana' });
    const thumbnails = (feed: ProctorEventFeed) => [...feed.shadowRoot!.querySelectorAll<HTMLImageElement>('img[part="thumbnail"]')];

    it('shows a screenshot’s image only for the lines shown, and revokes it once its line is gone', async () => {
      const { review, asked } = fakeReview();
      const events = [shot('old'), shot('new')];
      const feed = await fixture<ProctorEventFeed>(html`<proctor-event-feed session-id="s-1" limit="1" .review=${review} .events=${events}></proctor-event-feed>`);
      await waitUntil(() => thumbnails(feed).length === 1, 'no image shown');
      expect(asked, 'only the line shown loads its image').to.deep.equal(['new']);
      const [img] = thumbnails(feed);
      expect(img!.alt).to.equal(`Screenshot of the webcam at ${formatTime(events[1]!.at)}`);
      const url = img!.src;
      expect((await fetch(url)).ok).to.equal(true);

      feed.events = [...events, event('session.joined')];
      await feed.updateComplete;
      expect(thumbnails(feed)).to.have.length(0);
      const revoked = await fetch(url).then(() => false, () => true);
      expect(revoked, 'the blob URL is revoked').to.equal(true);
    });

    it('shows a signal’s judgement from the log, and actions only with judge', async () => {
      const { review } = fakeReview();
      const judged = event('signal.page-hidden');
      const events = [judged, event('signal.copy'), event('signal.dismissed', { signalSeq: judged.seq, comment: 'Notification', by: ana }, { source: 'reviewer', by: 'Ana' })];
      const feed = await fixture<ProctorEventFeed>(html`<proctor-event-feed session-id="s-1" .review=${review} .events=${events}></proctor-event-feed>`);
      const line = (type: string) => feed.shadowRoot!.querySelector(`[data-type="${type}"]`)!;
      await waitUntil(() => line('signal.page-hidden').querySelector('[part="judgement"]'), 'no judgement shown');
      expect(line('signal.page-hidden').querySelector('[part="judgement"]')!.textContent).to.equal('Dismissed by Ana: “Notification”');
      expect(feed.shadowRoot!.querySelector('[part="judge"]'), 'no actions without judge').to.equal(null);

      feed.judge = true;
      await feed.updateComplete;
      expect(line('signal.copy').querySelectorAll('[part="judge"] button')).to.have.length(2);
      expect(line('signal.page-hidden').querySelector('[part="judge"]'), 'a judged signal offers no actions').to.equal(null);
      expect(line('signal.dismissed').querySelector('[part="judge"]'), 'a dismissal is no signal').to.equal(null);
    });
  });
});
