/// <reference path="../../../elements/test-support/mocha-globals.d.ts" />
import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import type { SignalCode } from '../protocol/index.js';
import { IntegrityMonitor, type IntegrityOptions, type IntegritySignal } from './integrity-monitor.js';

/** Short timings, so each behaviour shows within a few hundred ms. */
const FAST = { minAwayMs: 60, throttleMs: 200, sampleMs: 40, noFramesMs: 500 } satisfies IntegrityOptions;
/** How long a webcam is back to normal between two of its conditions: many samples even on a loaded box. */
const BACK_FOR_MS = 600;
/** For tests of the picture: a painted camera that stalls on a loaded box is not what they are about. */
const PICTURE_ONLY = { noFramesMs: 60_000 } satisfies IntegrityOptions;

/** A page whose visibility, focus, fullscreen and displays the test controls. */
function fakePage({ extended }: { extended?: boolean } = {}) {
  const screen = Object.assign(new EventTarget(), { isExtended: extended });
  const window = Object.assign(new EventTarget(), { screen: extended === undefined ? undefined : screen });
  const document = Object.assign(new EventTarget(), {
    visibilityState: 'visible' as DocumentVisibilityState,
    activeElement: null as Element | null,
    fullscreenElement: null as Element | null,
    focused: true,
    hasFocus(): boolean {
      return this.focused;
    },
  });
  return {
    target: { window: window as unknown as Window, document: document as unknown as Document },
    hide() {
      document.visibilityState = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
    },
    show() {
      document.visibilityState = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
    },
    /** Focus leaves the window: to another app, or into `into` (an element of this page). */
    blur(into: Element | null = null) {
      document.activeElement = into;
      document.focused = into !== null;
      window.dispatchEvent(new Event('blur'));
    },
    /** Focus leaves the page from inside one of its iframes: the page hears nothing. */
    leaveFromFrame() {
      document.focused = false;
    },
    focus() {
      document.activeElement = null;
      document.focused = true;
      window.dispatchEvent(new Event('focus'));
    },
    fullscreen(on: boolean) {
      document.fullscreenElement = on ? (globalThis.document.body as Element) : null;
      document.dispatchEvent(new Event('fullscreenchange'));
    },
    displays(isExtended: boolean) {
      screen.isExtended = isExtended;
      screen.dispatchEvent(new Event('change'));
    },
    fire(type: 'copy' | 'cut' | 'paste') {
      document.dispatchEvent(new Event(type));
    },
  };
}

/** A live webcam stand-in: a canvas painted `color` ten times a second until `freeze()`. */
function paintedCamera(color: string) {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const context = canvas.getContext('2d')!;
  const paint = () => {
    context.fillStyle = camera.color;
    context.fillRect(0, 0, canvas.width, canvas.height);
    // A changing pixel makes every paint a new frame, as a real camera's noise does.
    context.fillStyle = `rgb(${Math.floor(Math.random() * 8)}, 0, 0)`;
    context.fillRect(0, 0, 1, 1);
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  const camera = {
    color,
    track: canvas.captureStream(10).getVideoTracks()[0]!,
    paint() {
      paint();
      timer ??= setInterval(paint, 100);
    },
    freeze() {
      clearInterval(timer);
      timer = undefined;
    },
  };
  camera.paint();
  return camera;
}

describe('IntegrityMonitor', () => {
  let signals: IntegritySignal[];
  let monitor: IntegrityMonitor | undefined;
  let cameras: ReturnType<typeof paintedCamera>[];

  const codes = () => signals.map((signal) => signal.code);
  const last = (code: SignalCode) => signals.filter((signal) => signal.code === code).at(-1);
  function monitorOf(page: ReturnType<typeof fakePage> | null, options: IntegrityOptions = {}) {
    monitor = new IntegrityMonitor((signal) => signals.push(signal), {
      ...FAST,
      ...(page ? { target: page.target } : {}),
      ...options,
    });
    monitor.start();
    return monitor;
  }
  function camera(color: string) {
    const made = paintedCamera(color);
    cameras.push(made);
    return made;
  }

  beforeEach(() => {
    signals = [];
    cameras = [];
  });

  afterEach(() => {
    monitor?.stop();
    monitor = undefined;
    for (const made of cameras) {
      made.freeze();
      made.track.stop();
    }
  });

  describe('time away from the exam', () => {
    it('reports a hidden page with how long it was hidden', async () => {
      const page = fakePage();
      monitorOf(page);
      const hiddenAt = Date.now();
      page.hide();
      await waitUntil(() => last('page-hidden'), 'the hidden page is reported');
      expect(last('page-hidden')!.data.since).to.be.within(hiddenAt, hiddenAt + 20);
      await aTimeout(100);
      page.show();
      expect(codes()).to.deep.equal(['page-hidden', 'page-visible']);
      expect(last('page-visible')!.data.durationMs).to.be.at.least(160);
    });

    it('dates time away by the clock it is given, not the candidate’s computer', async () => {
      const page = fakePage();
      let serverTime = 5_000;
      monitorOf(page, { now: () => serverTime });
      page.hide();
      await waitUntil(() => last('page-hidden'), 'the hidden page is reported');
      serverTime = 65_000;
      page.show();
      expect(signals).to.deep.equal([
        { code: 'page-hidden', data: { since: 5_000 }, at: 5_000 },
        { code: 'page-visible', data: { durationMs: 60_000 }, at: 65_000 },
      ]);
    });

    it('does not report a page hidden for less than the minimum', async () => {
      const page = fakePage();
      // A minimum far above the 20 ms away, so a slow box cannot stretch the absence past it.
      monitorOf(page, { minAwayMs: 1000 });
      page.hide();
      await aTimeout(20);
      page.show();
      await aTimeout(1100);
      expect(signals).to.deep.equal([]);
    });

    it('reports the window losing focus to another program, and for how long', async () => {
      const page = fakePage();
      monitorOf(page);
      page.blur();
      await waitUntil(() => last('window-blur'), 'the blur is reported');
      page.focus();
      expect(codes()).to.deep.equal(['window-blur', 'window-focus']);
      expect(last('window-focus')!.data.durationMs).to.be.at.least(60);
    });

    it('does not report focus moving into an embedded code editor', async () => {
      const page = fakePage();
      monitorOf(page);
      page.blur(document.createElement('iframe'));
      await aTimeout(150);
      page.focus();
      expect(signals).to.deep.equal([]);
    });

    it('reports leaving the page from inside an embedded editor', async () => {
      const page = fakePage();
      monitorOf(page);
      page.blur(document.createElement('iframe'));
      await aTimeout(20);
      page.leaveFromFrame();
      await waitUntil(() => last('window-blur'), 'leaving from the iframe is reported');
      page.focus();
      expect(codes()).to.deep.equal(['window-blur', 'window-focus']);
    });
  });

  describe('fullscreen', () => {
    it('reports leaving fullscreen when the exam requires it, once until it is entered again', () => {
      const page = fakePage();
      monitorOf(page, { requireFullscreen: true });
      page.fullscreen(true);
      page.fullscreen(false);
      page.fullscreen(false);
      expect(codes()).to.deep.equal(['fullscreen-exit']);
      page.fullscreen(true);
      page.fullscreen(false);
      expect(codes()).to.deep.equal(['fullscreen-exit', 'fullscreen-exit']);
    });

    it('says nothing about fullscreen when the exam does not require it', () => {
      const page = fakePage();
      monitorOf(page);
      page.fullscreen(true);
      page.fullscreen(false);
      expect(signals).to.deep.equal([]);
    });
  });

  describe('clipboard', () => {
    it('reports the first copy at once and counts the rest of the window in one signal', async () => {
      const page = fakePage();
      monitorOf(page);
      page.fire('copy');
      expect(signals).to.have.length(1);
      expect(signals[0]!.data).to.deep.equal({ count: 1 });
      page.fire('cut');
      page.fire('copy');
      page.fire('copy');
      expect(signals).to.have.length(1);
      await waitUntil(() => signals.length === 2, 'the merged copies are reported when the window ends');
      expect(signals[1]).to.include({ code: 'copy' });
      expect(signals[1]!.data).to.deep.equal({ count: 3 });
    });

    it('reports pastes apart from copies', () => {
      const page = fakePage();
      monitorOf(page);
      page.fire('copy');
      page.fire('paste');
      expect(codes()).to.deep.equal(['copy', 'paste']);
    });

    it('hears a real paste even when the page stops its propagation', () => {
      monitorOf(null);
      const input = document.createElement('textarea');
      document.body.append(input);
      input.addEventListener('paste', (event) => event.stopPropagation());
      input.dispatchEvent(new ClipboardEvent('paste', { bubbles: true }));
      input.remove();
      expect(codes()).to.deep.equal(['paste']);
    });
  });

  describe('displays', () => {
    it('reports a second display connected when the exam starts', () => {
      monitorOf(fakePage({ extended: true }));
      expect(codes()).to.deep.equal(['second-display']);
    });

    it('reports a second display connected during the exam, once until it is disconnected', () => {
      const page = fakePage({ extended: false });
      monitorOf(page);
      expect(signals).to.deep.equal([]);
      page.displays(true);
      page.displays(true);
      expect(codes()).to.deep.equal(['second-display']);
      page.displays(false);
      page.displays(true);
      expect(codes()).to.deep.equal(['second-display', 'second-display']);
    });

    it('stays silent about displays where the browser cannot tell', () => {
      const page = fakePage();
      monitorOf(page);
      expect(signals).to.deep.equal([]);
    });
  });

  describe('webcam', () => {
    it('reports a covered webcam once while its picture stays black', async () => {
      const webcam = camera('#000');
      monitorOf(fakePage(), PICTURE_ONLY).watchWebcam(webcam.track);
      await waitUntil(() => last('webcam-covered'), 'the covered webcam is reported');
      expect(last('webcam-covered')!.data.luminance).to.be.below(10);
      await aTimeout(200);
      expect(codes()).to.deep.equal(['webcam-covered']);
    });

    it('reports nothing while the webcam shows a lit picture', async () => {
      const webcam = camera('#16a34a');
      monitorOf(fakePage(), PICTURE_ONLY).watchWebcam(webcam.track);
      await aTimeout(400);
      expect(signals).to.deep.equal([]);
    });

    it('reports the webcam covered again after it was uncovered in between', async () => {
      const webcam = camera('#000');
      monitorOf(fakePage(), PICTURE_ONLY).watchWebcam(webcam.track);
      await waitUntil(() => codes().length === 1, 'the first cover is reported');
      webcam.color = '#16a34a';
      // Long enough for a lit sample on a loaded box: the cover must end before it can come again.
      await aTimeout(BACK_FOR_MS);
      webcam.color = '#000';
      await waitUntil(() => codes().length === 2, 'the second cover is reported', { timeout: 3000 });
      expect(codes()).to.deep.equal(['webcam-covered', 'webcam-covered']);
    });

    it('reports a webcam that stops delivering frames, and again after they came back', async () => {
      const webcam = camera('#16a34a');
      monitorOf(fakePage()).watchWebcam(webcam.track);
      await aTimeout(150);
      webcam.freeze();
      await waitUntil(() => last('webcam-no-frames'), 'the frozen webcam is reported');
      expect(last('webcam-no-frames')!.data).to.deep.equal({ reason: 'stalled' });
      webcam.paint();
      await aTimeout(BACK_FOR_MS);
      webcam.freeze();
      await waitUntil(() => codes().length === 2, 'the second freeze is reported', { timeout: 3000 });
      expect(codes()).to.deep.equal(['webcam-no-frames', 'webcam-no-frames']);
    });

    it('reports a webcam track stopped under the page as delivering no frames', async () => {
      const webcam = camera('#16a34a');
      monitorOf(fakePage()).watchWebcam(webcam.track);
      await aTimeout(100);
      webcam.track.stop();
      await waitUntil(() => last('webcam-no-frames'), 'the stopped track is reported');
    });

    it('reports a muted webcam at once', async () => {
      const webcam = camera('#16a34a');
      monitorOf(fakePage()).watchWebcam(webcam.track);
      webcam.track.dispatchEvent(new Event('mute'));
      expect(signals).to.deep.equal([{ code: 'webcam-no-frames', data: { reason: 'muted' }, at: signals[0]!.at }]);
    });

    it('starts afresh on a new track and never stops the candidate’s camera', async () => {
      const covered = camera('#000');
      const lit = camera('#16a34a');
      const watching = monitorOf(fakePage(), PICTURE_ONLY);
      watching.watchWebcam(covered.track);
      await waitUntil(() => last('webcam-covered'), 'the covered webcam is reported');
      watching.watchWebcam(lit.track);
      await aTimeout(200);
      watching.watchWebcam(covered.track);
      await waitUntil(() => codes().length === 2, 'the covered webcam is reported for the new watch');
      watching.watchWebcam(null);
      expect(covered.track.readyState).to.equal('live');
      expect(lit.track.readyState).to.equal('live');
    });
  });

  describe('reports from the session', () => {
    it('reports a stopped screen share once until the session says it is shared again', () => {
      const watching = monitorOf(fakePage());
      watching.report('screen-share-stopped', { label: 'Entire screen' });
      watching.report('screen-share-stopped');
      expect(signals).to.have.length(1);
      expect(signals[0]).to.include({ code: 'screen-share-stopped' });
      expect(signals[0]!.data).to.deep.equal({ label: 'Entire screen' });
      watching.clear('screen-share-stopped');
      watching.report('screen-share-stopped');
      expect(codes()).to.deep.equal(['screen-share-stopped', 'screen-share-stopped']);
    });
  });

  describe('stop()', () => {
    it('reports nothing more once stopped', async () => {
      const page = fakePage({ extended: false });
      const webcam = camera('#000');
      const watching = monitorOf(page, { requireFullscreen: true });
      watching.watchWebcam(webcam.track);
      page.hide();
      watching.stop();
      page.blur();
      page.fire('copy');
      page.fire('paste');
      page.fullscreen(false);
      page.displays(true);
      watching.report('webcam-stopped');
      await aTimeout(300);
      page.show();
      page.focus();
      expect(signals).to.deep.equal([]);
      expect(webcam.track.readyState).to.equal('live');
    });

    it('reports the copies still counted when monitoring stops', () => {
      const page = fakePage();
      const watching = monitorOf(page);
      page.fire('copy');
      page.fire('copy');
      page.fire('copy');
      watching.stop();
      expect(signals.map((signal) => signal.data.count)).to.deep.equal([1, 2]);
    });

    it('watches again after a restart', () => {
      const page = fakePage();
      const watching = monitorOf(page);
      watching.stop();
      watching.start();
      page.fire('paste');
      expect(codes()).to.deep.equal(['paste']);
    });
  });
});
