/// <reference path="../../test-support/mocha-globals.d.ts" />
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { SupervisorRoom, type CapturedFeed } from '@proctorkit/core';
import type { ProctorCandidate } from './candidate.js';
import './candidate.js';
import { record, testToken } from '../../test-support/test-kit.js';

/** A candidate token for a candidate no other test uses. */
function candidateToken(candidateId = newCandidateId(), name = 'Ada Lovelace'): Promise<string> {
  return testToken({ role: 'candidate', candidateId, name });
}

function newCandidateId(): string {
  return `candidate-${crypto.randomUUID()}`;
}

async function candidate(token: string): Promise<ProctorCandidate> {
  return fixture<ProctorCandidate>(html`<proctor-candidate server="/proctor" token=${token}></proctor-candidate>`);
}

async function connectedCandidate(): Promise<ProctorCandidate> {
  const element = await candidate(await candidateToken());
  await waitUntil(() => element.state?.connection === 'open' && element.state.session, 'the candidate never connected to the kit');
  await element.updateComplete;
  return element;
}

/** Consents and waits until the exam clock runs (core starts it once both feeds are live). */
async function startExam(element: ProctorCandidate): Promise<string> {
  await element.consent();
  await waitUntil(() => element.clock.started, 'the exam clock should start once both feeds are live');
  await element.updateComplete;
  return element.state!.session!.sessionId;
}

/** Every supervisor room a test opened, closed after it. */
const rooms: SupervisorRoom[] = [];

/** A supervisor watching `candidateId`, as `<proctor-grid>` would, once it sees the session. */
async function supervising(candidateId: string, sessionId: string): Promise<SupervisorRoom> {
  const token = await testToken({ role: 'supervisor', candidates: candidateId, name: 'Dr. Maria Reyes' });
  const room = new SupervisorRoom({ server: '/proctor', token });
  rooms.push(room);
  room.connect();
  await waitUntil(() => room.state.value.sessions.some((s) => s.sessionId === sessionId), 'the supervisor never saw the session');
  return room;
}

/** A candidate whose exam runs, and a supervisor watching it. */
async function supervisedExam(attributes: { requireFullscreen?: boolean } = {}) {
  const candidateId = newCandidateId();
  const token = await candidateToken(candidateId);
  const element = attributes.requireFullscreen
    ? await fixture<ProctorCandidate>(html`<proctor-candidate server="/proctor" token=${token} require-fullscreen></proctor-candidate>`)
    : await candidate(token);
  await waitUntil(() => element.state?.session, 'the candidate never connected to the kit');
  const sessionId = await startExam(element);
  const room = await supervising(candidateId, sessionId);
  return { element, room, sessionId };
}

/** Whether the supervisor's event feed has an event of the session matching `match`. */
function supervisorSaw(room: SupervisorRoom, sessionId: string, match: (type: string, data: Record<string, unknown>) => boolean) {
  return room.state.value.events.get(sessionId)?.some((event) => match(event.type, event.data)) ?? false;
}

function part(element: ProctorCandidate, selector: string): HTMLElement | null {
  return element.shadowRoot!.querySelector<HTMLElement>(selector);
}

function clockText(element: ProctorCandidate): { digits: string; caption: string; label: string } {
  const timer = part(element, '[role="timer"]')!;
  return {
    digits: timer.querySelector('.digits')!.textContent!.trim(),
    caption: timer.querySelector('.caption')!.textContent!.trim(),
    label: timer.getAttribute('aria-label')!,
  };
}

/** What the element last asked screen readers to announce. */
function announced(element: ProctorCandidate): string {
  return part(element, '.visually-hidden[aria-live="polite"]')!.textContent!.trim();
}

function button(element: ProctorCandidate, label: string): HTMLButtonElement {
  const found = [...element.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === label);
  if (!found) throw new Error(`No button "${label}"`);
  return found;
}

function problem(element: ProctorCandidate, feed: CapturedFeed): HTMLElement | null {
  return element.shadowRoot!.querySelector<HTMLElement>(`[part="problem"][data-feed="${feed}"]`);
}

function preview(element: ProctorCandidate, feed: CapturedFeed): HTMLVideoElement | null {
  return element.shadowRoot!.querySelector<HTMLVideoElement>(`figure[data-feed="${feed}"] video`);
}

function isPreviewLive(element: ProctorCandidate, feed: CapturedFeed): boolean {
  const stream = preview(element, feed)?.srcObject as MediaStream | null | undefined;
  return stream?.getVideoTracks()[0]?.readyState === 'live';
}

/** Counts capture requests and lets a test make the next ones fail, as a browser or candidate would. */
const media = navigator.mediaDevices;
const realGetUserMedia = media.getUserMedia.bind(media);
const realGetDisplayMedia = media.getDisplayMedia.bind(media);
const captures = { camera: 0, screen: 0 };
let cameraFailure: DOMException | undefined;

describe('<proctor-candidate>', () => {
  beforeEach(() => {
    captures.camera = 0;
    captures.screen = 0;
    cameraFailure = undefined;
    media.getUserMedia = (constraints) => {
      captures.camera += 1;
      return cameraFailure ? Promise.reject(cameraFailure) : realGetUserMedia(constraints);
    };
    media.getDisplayMedia = (options) => {
      captures.screen += 1;
      return realGetDisplayMedia(options);
    };
  });

  afterEach(() => {
    Reflect.deleteProperty(media, 'getUserMedia');
    Reflect.deleteProperty(media, 'getDisplayMedia');
    for (const room of rooms.splice(0)) room.close();
  });

  it('shows the consent step and captures nothing before the candidate agrees', async () => {
    const element = await connectedCandidate();
    const consent = element.shadowRoot!.querySelector('[part="consent"]')!;
    expect(consent).to.exist;
    expect(consent.textContent).to.contain('wtr-exam is supervised live');
    expect(consent.textContent).to.contain('Your camera');
    expect(consent.textContent).to.contain('Your entire screen');
    expect(button(element, 'I agree — start supervision')).to.exist;
    await aTimeout(200);
    expect(captures).to.deep.equal({ camera: 0, screen: 0 });
    expect(element.shadowRoot!.querySelector('video')).to.equal(null);
  });

  it('shows that it is connected to supervision and tells the page', async () => {
    const connections = record('proctor-connection');
    const element = await connectedCandidate();
    await element.updateComplete;
    const status = element.shadowRoot!.querySelector('.connection')!;
    expect(status.textContent).to.equal('Connected to supervision');
    expect(status).to.have.attribute('data-state', 'open');
    expect(connections.map((e) => e.detail.state)).to.include('open');
  });

  it('after consent, previews the webcam and the screen live and fires proctor-feed-live for both', async () => {
    const consents = record('proctor-consent');
    const live = record('proctor-feed-live');
    const element = await connectedCandidate();
    button(element, 'I agree — start supervision').click();
    await waitUntil(() => live.length === 2, 'both feeds should go live');
    await element.updateComplete;

    expect(consents.map((e) => e.detail)).to.deep.equal([{ accepted: true }]);
    expect(live.map((e) => e.detail.feed).sort()).to.deep.equal(['screen', 'webcam']);
    expect(captures).to.deep.equal({ camera: 1, screen: 1 });
    expect(isPreviewLive(element, 'webcam')).to.equal(true);
    expect(isPreviewLive(element, 'screen')).to.equal(true);
    expect(preview(element, 'webcam')!.muted).to.equal(true);
    const labels = [...element.shadowRoot!.querySelectorAll('.feed-state')].map((s) => s.textContent);
    expect(labels).to.deep.equal(['Live', 'Live']);
    expect(element.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
  });

  it('when the camera is denied, says so with a retry button and fires proctor-feed-error; retrying after allowing it works', async () => {
    const errors = record('proctor-feed-error');
    const live = record('proctor-feed-live');
    cameraFailure = new DOMException('x', 'NotAllowedError');
    const element = await connectedCandidate();
    button(element, 'I agree — start supervision').click();
    await waitUntil(() => problem(element, 'webcam'), 'a camera problem should be shown');

    const alert = problem(element, 'webcam')!;
    expect(alert).to.have.attribute('role', 'alert');
    expect(alert).to.have.attribute('data-code', 'camera-denied');
    expect(alert.textContent).to.contain('Camera access was blocked');
    expect(alert.offsetParent, 'the alert is visible').not.to.equal(null);
    expect(errors.map((e) => e.detail.code)).to.deep.equal(['camera-denied']);
    expect(errors[0]!.detail.feed).to.equal('webcam');
    expect(errors[0]!.detail.message).to.contain('Allow the camera');

    await waitUntil(() => isPreviewLive(element, 'screen'), 'the screen is still shared');
    cameraFailure = undefined;
    button(element, 'Try the camera again').click();
    await waitUntil(() => isPreviewLive(element, 'webcam'), 'the camera should start on retry');
    expect(problem(element, 'webcam')).to.equal(null);
    expect(live.map((e) => e.detail.feed)).to.include('webcam');
    expect(captures.camera).to.equal(2);
  });

  it('when no camera is connected, says so with code camera-missing', async () => {
    const errors = record('proctor-feed-error');
    cameraFailure = new DOMException('x', 'NotFoundError');
    const element = await connectedCandidate();
    await element.consent();
    await element.updateComplete;

    const alert = problem(element, 'webcam')!;
    expect(alert).to.have.attribute('data-code', 'camera-missing');
    expect(alert.textContent).to.contain('No camera was found');
    expect(alert.querySelector('button')!.textContent).to.equal('Try the camera again');
    expect(errors.map((e) => [e.detail.feed, e.detail.code])).to.deep.equal([['webcam', 'camera-missing']]);
  });

  it('when screen sharing stops, asks to share again and fires proctor-feed-error; sharing again works', async () => {
    const errors = record('proctor-feed-error');
    const live = record('proctor-feed-live');
    const element = await connectedCandidate();
    await element.consent();
    await waitUntil(() => live.length === 2, 'both feeds should go live');

    const track = element.state!.feeds.screen.track!;
    track.stop();
    track.dispatchEvent(new Event('ended'));
    await element.updateComplete;

    const alert = problem(element, 'screen')!;
    expect(alert).to.have.attribute('data-code', 'screen-stopped');
    expect(alert.textContent).to.contain('Screen sharing stopped');
    expect(errors.map((e) => [e.detail.feed, e.detail.code])).to.deep.equal([['screen', 'screen-stopped']]);
    expect(element.shadowRoot!.querySelector('figure[data-feed="screen"] .feed-state')!.textContent).to.equal('Not sent');
    expect(isPreviewLive(element, 'webcam')).to.equal(true);

    button(element, 'Share the screen again').click();
    await waitUntil(() => isPreviewLive(element, 'screen'), 'the screen should be shared again');
    expect(problem(element, 'screen')).to.equal(null);
    expect(captures.screen).to.equal(2);
  });

  it('when the candidate declines, fires proctor-consent with accepted false, says so and captures nothing', async () => {
    const element = await connectedCandidate();
    const consented = oneEvent(element, 'proctor-consent');
    button(element, 'Decline').click();
    const { detail } = await consented;
    await element.updateComplete;

    expect(detail).to.deep.equal({ accepted: false });
    const consent = element.shadowRoot!.querySelector('[part="consent"]')!;
    expect(consent.textContent).to.contain('You declined supervision.');
    expect(consent.textContent).to.contain('Nothing has been captured');
    expect(captures).to.deep.equal({ camera: 0, screen: 0 });

    button(element, 'Review again').click();
    await element.updateComplete;
    expect(button(element, 'I agree — start supervision')).to.exist;
  });

  it('with a refused token, shows an error and fires proctor-session-error with code unauthorized', async () => {
    const sessionErrors = record('proctor-session-error');
    const element = await candidate('not-a-token');
    await waitUntil(() => sessionErrors.length > 0, 'the kit should refuse the token');
    await element.updateComplete;

    expect(sessionErrors[0]!.detail.code).to.equal('unauthorized');
    const alert = element.shadowRoot!.querySelector('.fatal[role="alert"]')!;
    expect(alert.textContent).to.equal(sessionErrors[0]!.detail.message);
    expect(alert.textContent).to.contain('Token');
    expect(element.shadowRoot!.querySelector('[part="consent"]')).to.equal(null);
    expect(element.state!.connection).to.equal('closed');
  });

  it('stops capturing when it is removed from the page', async () => {
    const live = record('proctor-feed-live');
    const element = await connectedCandidate();
    await element.consent();
    await waitUntil(() => live.length === 2, 'both feeds should go live');
    const tracks = [element.state!.feeds.webcam.track!, element.state!.feeds.screen.track!];
    element.remove();
    expect(tracks.map((t) => t.readyState)).to.deep.equal(['ended', 'ended']);
  });
  describe('exam clock, pause, messages and end', () => {
    it('shows the whole exam time, not started, before the candidate agrees', async () => {
      const element = await connectedCandidate();
      expect(clockText(element)).to.deep.equal({
        digits: '60:00',
        caption: 'Not started',
        label: 'Exam not started. Time for the exam: 1 hour',
      });
      expect(element.clock).to.deep.equal({ remainingMs: 3_600_000, paused: false, endsAt: null, started: false });
      expect(part(element, '[role="timer"]')).to.have.attribute('aria-live', 'off');
    });

    it('counts down once both feeds are live, fires proctor-started, and names the time left in minutes for screen readers', async () => {
      const started = record('proctor-started');
      const element = await connectedCandidate();
      await startExam(element);
      await waitUntil(() => started.length === 1, 'proctor-started fires once the clock runs');
      await waitUntil(() => /^59:5\d$/.test(clockText(element).digits), 'the clock should tick down each second', { timeout: 3000 });

      expect(clockText(element).caption).to.equal('left');
      expect(clockText(element).label).to.equal('Time left: 59 minutes');
      const { remainingMs, paused, endsAt } = element.clock;
      expect(remainingMs).to.be.within(3_540_000, 3_600_000);
      expect(paused).to.equal(false);
      expect(endsAt).to.be.closeTo(element.state!.session!.clock.startedAt! + 3_600_000, 1);
    });

    it('covers itself while paused, fires proctor-paused and stops the clock; resuming uncovers it and fires proctor-resumed', async () => {
      const paused = record('proctor-paused');
      const resumed = record('proctor-resumed');
      const { element, room, sessionId } = await supervisedExam();
      part(element, '[role="timer"]')!.focus();

      await room.pause(sessionId);
      await waitUntil(() => paused.length === 1, 'proctor-paused should fire');
      await element.updateComplete;
      const overlay = part(element, '[part="pause"]')!;
      expect(overlay.textContent).to.contain('Your exam is paused by the supervisor. The clock is stopped.');
      const covered = element.getBoundingClientRect();
      const cover = overlay.getBoundingClientRect();
      // Everything inside the element's 1px border.
      expect(cover.top - covered.top).to.be.closeTo(1, 0.5);
      expect(cover.left - covered.left).to.be.closeTo(1, 0.5);
      expect(covered.bottom - cover.bottom).to.be.closeTo(1, 0.5);
      expect(covered.right - cover.right).to.be.closeTo(1, 0.5);
      expect(part(element, '.content')!.inert, 'what is under the overlay cannot be reached').to.equal(true);
      expect(paused[0]!.detail).to.deep.equal({});
      expect(element.clock.paused).to.equal(true);
      expect(clockText(element).caption).to.equal('Paused');
      expect(announced(element)).to.equal('Your exam is paused by the supervisor. The clock is stopped.');
      expect(element.shadowRoot!.activeElement, 'focus moves from under the overlay onto it').to.equal(part(element, '.pause-notice'));
      const frozen = element.clock.remainingMs;
      await aTimeout(150);
      expect(element.clock.remainingMs, 'the clock stands still').to.equal(frozen);

      await room.resume(sessionId);
      await waitUntil(() => resumed.length === 1, 'proctor-resumed should fire');
      await element.updateComplete;
      expect(part(element, '[part="pause"]')).to.equal(null);
      expect(part(element, '.content')!.inert).to.equal(false);
      expect(element.clock.paused).to.equal(false);
      expect(element.shadowRoot!.activeElement).to.equal(part(element, '[role="timer"]'));
      expect(announced(element)).to.match(/^Your exam continues\. Time left: (1 hour|59 minutes)\.$/);
    });

    it('fires proctor-time-extended and shows the added time when a supervisor extends the exam', async () => {
      const extended = record('proctor-time-extended');
      const { element, room, sessionId } = await supervisedExam();
      const before = element.clock.remainingMs;

      await room.extend(sessionId, 5);
      await waitUntil(() => extended.length === 1, 'proctor-time-extended should fire');
      await element.updateComplete;

      expect(extended[0]!.detail.minutes).to.equal(5);
      expect(extended[0]!.detail.endsAt).to.equal(element.clock.endsAt);
      expect(element.clock.remainingMs - before).to.be.above(4.9 * 60_000);
      expect(clockText(element).digits, 'above an hour: h:mm:ss').to.match(/^1:0[45]:\d\d$/);
      expect(part(element, '.extended')!.textContent).to.equal('+5 min');
      expect(announced(element)).to.match(/^5 minutes added\. Time left: 1 hour [45] minutes\.$/);
    });

    it('shows a supervisor\'s message with name and time, fires proctor-message, and "Got it" acknowledges it to the supervisor', async () => {
      const messages = record('proctor-message');
      const { element, room, sessionId } = await supervisedExam();

      await room.message(sessionId, 'Please show your desk to the camera.');
      await waitUntil(() => messages.length === 1, 'proctor-message should fire');
      await element.updateComplete;
      const { messageId, text, from } = messages[0]!.detail;
      expect({ text, from }).to.deep.equal({ text: 'Please show your desk to the camera.', from: 'Dr. Maria Reyes' });
      const message = part(element, `[part="message"][data-message-id="${messageId}"]`)!;
      expect(message).to.have.attribute('data-state', 'new');
      expect(message.textContent).to.contain('Dr. Maria Reyes').and.contain('Please show your desk to the camera.');
      expect(message.querySelector('time')).to.exist;
      expect(announced(element)).to.equal('New message from Dr. Maria Reyes: Please show your desk to the camera.');

      button(element, 'Got it').click();
      await waitUntil(
        () => supervisorSaw(room, sessionId, (type, data) => type === 'message.acked' && data.messageId === messageId),
        'the supervisor should see the acknowledgement',
      );
      await element.updateComplete;
      expect(message).to.have.attribute('data-state', 'acked');
      expect(message.textContent).to.contain('Acknowledged');
      expect(message.querySelector('button')).to.equal(null);
      expect(element.shadowRoot!.activeElement, 'focus stays on the message').to.equal(message);
    });

    it('lists messages newest first, and takes focus to a new one only when focus is not on the page\'s own inputs', async () => {
      const messages = record('proctor-message');
      const { element, room, sessionId } = await supervisedExam();
      const answer = document.createElement('input');
      element.after(answer);
      answer.focus();

      await room.message(sessionId, 'First');
      await waitUntil(() => messages.length === 1, 'the first message should arrive');
      await element.updateComplete;
      expect(document.activeElement, 'an answer being typed keeps focus').to.equal(answer);

      answer.blur();
      await room.message(sessionId, 'Second');
      await waitUntil(() => messages.length === 2, 'the second message should arrive');
      await waitUntil(() => element.shadowRoot!.activeElement, 'a keyboard user is brought to the new message');
      const listed = [...element.shadowRoot!.querySelectorAll('[part="message"]')];
      expect(listed.map((m) => m.querySelector('.message-text')!.textContent)).to.deep.equal(['Second', 'First']);
      expect(element.shadowRoot!.activeElement).to.equal(listed[0]);
      answer.remove();
    });

    it('when a supervisor ends the exam, says why, fires proctor-ended and stops capture', async () => {
      const ended = record('proctor-ended');
      const { element, room, sessionId } = await supervisedExam();
      const tracks = [element.state!.feeds.webcam.track!, element.state!.feeds.screen.track!];

      await room.terminate(sessionId, 'A second person is in the room.');
      await waitUntil(() => ended.length === 1, 'proctor-ended should fire');
      await element.updateComplete;

      expect(ended[0]!.detail).to.deep.equal({ reason: 'terminated', message: 'A second person is in the room.' });
      const panel = part(element, '[part="ended"]')!;
      expect(panel.textContent).to.contain('Your exam has ended');
      expect(panel.querySelector('.reason')!.textContent).to.equal('A supervisor ended your exam: A second person is in the room.');
      expect(panel.textContent).to.contain('Camera and screen sharing have stopped.');
      expect(tracks.map((t) => t.readyState)).to.deep.equal(['ended', 'ended']);
      expect(part(element, '[part="previews"]')).to.equal(null);
      expect(clockText(element).caption).to.equal('Ended');
      expect(element.clock.remainingMs).to.equal(0);
    });

    it('after the exam, says once every recorded chunk is saved that the page may close', async () => {
      const { element, room, sessionId } = await supervisedExam();
      await room.terminate(sessionId, 'Time to stop.');
      await waitUntil(() => part(element, '[part="upload"][data-state="done"]'), 'the recording is never said to be saved', { timeout: 20_000 });
      expect(part(element, '[part="upload"]')!.textContent!.trim()).to.equal('The recording is saved. You may close this page.');
      expect(element.state!.recording!.pendingChunks).to.equal(0);
      expect(part(element, '[part="recording"]'), 'the header leaves the upload to the end panel').to.equal(null);
    });

    it('a page opened again while the exam runs asks for consent again, captures nothing before, and resumes', async () => {
      const candidateId = newCandidateId();
      const token = await candidateToken(candidateId);
      const first = await candidate(token);
      await waitUntil(() => first.state?.session, 'the candidate never connected to the kit');
      await startExam(first);
      first.remove();

      const again = await candidate(token);
      await waitUntil(() => again.state?.session?.clock.startedAt, 'the second page never saw the running exam');
      await again.updateComplete;
      const consent = part(again, '[part="consent"]')!;
      expect(consent.textContent).to.contain('Your exam is under way.');
      expect(captures.camera + captures.screen, 'nothing captured before the candidate agrees').to.equal(2);
      button(again, 'I agree — resume supervision').click();
      await waitUntil(() => isPreviewLive(again, 'webcam') && isPreviewLive(again, 'screen'), 'capture never resumed');
      expect(part(again, '[part="consent"]')).to.equal(null);
    });

    it('log() reaches the supervisor\'s event feed as log.<name>', async () => {
      const { element, room, sessionId } = await supervisedExam();
      element.log('question.opened', { question: 3 });
      await waitUntil(
        () => supervisorSaw(room, sessionId, (type, data) => type === 'log.question.opened' && data.question === 3),
        'the supervisor should see the log line',
      );
      expect(() => element.log('Question Opened')).to.throw(/lowercase/);
    });

    it('log() and acknowledge() throw a clear error while there is no session', () => {
      const element = document.createElement('proctor-candidate');
      expect(() => element.log('question.opened', { question: 1 })).to.throw(/no session yet/);
      expect(() => element.acknowledge('m-1')).to.throw(/no session yet/);
    });

    it('with require-fullscreen, reports leaving fullscreen to the supervisor', async () => {
      const { element, room, sessionId } = await supervisedExam({ requireFullscreen: true });
      expect(element.requireFullscreen).to.equal(true);
      document.dispatchEvent(new Event('fullscreenchange'));
      await waitUntil(
        () => supervisorSaw(room, sessionId, (type) => type === 'signal.fullscreen-exit'),
        'the supervisor should see signal.fullscreen-exit',
      );
    });
  });
});
