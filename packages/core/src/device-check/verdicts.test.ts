import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProctorError } from '../errors.js';
import { BROWSER_FEATURES, checkBrowser, type BrowserFeature } from './browser-support.js';
import { median } from './network.js';
import { DEFAULT_THRESHOLDS as T, microphoneLevel } from './thresholds.js';
import {
  judgeBrowser,
  judgeCamera,
  judgeMicrophone,
  judgeNetwork,
  judgeScreen,
  overallVerdict,
  type DeviceCheckResult,
  type NetworkMeasurement,
} from './verdicts.js';

const ALL = Object.fromEntries(BROWSER_FEATURES.map((feature) => [feature, true])) as Record<BrowserFeature, boolean>;
const GOOD_NETWORK: NetworkMeasurement = { rttMs: 42.345, downloadMbps: 48.7, uploadMbps: 9.86, downloadBytes: 1_000_000, uploadBytes: 1_000_000 };

describe('the browser check', () => {
  test('finds each feature on the window it is given', () => {
    const noop = () => {};
    const full = checkBrowser({
      isSecureContext: true,
      navigator: { mediaDevices: { getUserMedia: noop, getDisplayMedia: noop } },
      RTCPeerConnection: noop,
      WebSocket: noop,
      indexedDB: {},
      AudioContext: noop,
    });
    assert.deepEqual(full, ALL);
    const phone = checkBrowser({ isSecureContext: true, navigator: { mediaDevices: { getUserMedia: noop } }, RTCPeerConnection: noop, WebSocket: noop });
    assert.deepEqual(
      BROWSER_FEATURES.filter((feature) => !phone[feature]),
      ['screen-sharing', 'indexeddb', 'web-audio'],
    );
    assert.equal(checkBrowser({})['secure-context'], false);
  });

  test('passes a browser with everything, warns without the extras, fails without a required feature', () => {
    assert.equal(judgeBrowser(ALL, true).verdict, 'pass');
    const noStorage = judgeBrowser({ ...ALL, indexeddb: false }, true);
    assert.equal(noStorage.verdict, 'warn');
    assert.deepEqual(noStorage.missing, ['indexeddb']);
    assert.match(noStorage.message, /offline storage \(IndexedDB\)/);
    const phone = judgeBrowser({ ...ALL, 'screen-sharing': false }, true);
    assert.equal(phone.verdict, 'fail');
    assert.match(phone.message, /lacks screen sharing\. Use a current Chrome/);
    assert.equal(judgeBrowser({ ...ALL, 'screen-sharing': false }, false).verdict, 'pass', 'a check without the screen does not need it');
  });

  test('says to open the https address when the page is not secure', () => {
    const result = judgeBrowser({ ...ALL, 'secure-context': false, camera: false }, true);
    assert.equal(result.verdict, 'fail');
    assert.match(result.message, /https:\/\//);
  });
});

describe('the camera verdict', () => {
  test('passes 640×480 at 15 fps and says so with the figures', () => {
    assert.deepEqual(judgeCamera({ width: 640, height: 480, fps: 14.6, brightness: 120 }, T), {
      verdict: 'pass',
      width: 640,
      height: 480,
      fps: 15,
      message: 'Your camera works: 640×480 at 15 frames per second.',
    });
  });

  test('fails with the capture error’s advice when the camera is denied or missing', () => {
    const denied = new ProctorError('camera-denied', 'Camera access was blocked. Allow the camera for this site, then try again.');
    assert.deepEqual(judgeCamera(denied, T), { verdict: 'fail', message: denied.message });
  });

  test('fails a camera that sends almost nothing, warns a black, small or slow one', () => {
    assert.equal(judgeCamera({ width: 640, height: 480, fps: 0.5 }, T).verdict, 'fail');
    assert.match(judgeCamera({ width: 640, height: 480, fps: 15, brightness: 3 }, T).message, /Uncover the lens/);
    const small = judgeCamera({ width: 320, height: 240, fps: 15 }, T);
    assert.equal(small.verdict, 'warn');
    assert.match(small.message, /small \(320×240; 640×360 or more is best\)/);
    assert.equal(judgeCamera({ width: 640, height: 360, fps: 15 }, T).verdict, 'pass', '16:9 at 640 wide is enough');
    assert.equal(judgeCamera({ width: 480, height: 640, fps: 15 }, T).verdict, 'pass', 'either orientation');
    const slow = judgeCamera({ width: 1280, height: 720, fps: 7 }, T);
    assert.equal(slow.verdict, 'warn');
    assert.match(slow.message, /slow \(7 frames per second; 10 or more is best\)/);
  });
});

describe('the microphone verdict', () => {
  test('passes once sound was heard, warns about silence and never fails', () => {
    assert.equal(judgeMicrophone({ peak: 0.62 }, T).verdict, 'pass');
    const silent = judgeMicrophone({ peak: 0.1 }, T);
    assert.equal(silent.verdict, 'warn');
    assert.match(silent.message, /heard no sound in 8 seconds/);
    for (const problem of ['denied', 'missing', 'in-use', 'unsupported'] as const) {
      assert.equal(judgeMicrophone(problem, T).verdict, 'warn', problem);
    }
    assert.match(judgeMicrophone('denied', T).message, /Allow the microphone/);
  });

  test('levels follow loudness in decibels: silence 0, full scale 1, −40 dBFS about a third', () => {
    assert.equal(microphoneLevel(new Float32Array(2048)), 0);
    assert.equal(microphoneLevel(new Float32Array(2048).fill(1)), 1);
    assert.equal(Math.round(microphoneLevel(new Float32Array(2048).fill(0.01)) * 100) / 100, 0.33);
    assert.equal(microphoneLevel([]), 0);
  });
});

describe('the screen verdict', () => {
  test('passes the entire screen, warns a window or a tab, fails a refusal', () => {
    assert.deepEqual(judgeScreen({ surface: 'monitor', width: 800, height: 600 }), {
      verdict: 'pass',
      surface: 'monitor',
      width: 800,
      height: 600,
      message: 'Screen sharing works: your entire screen (800×600).',
    });
    assert.match(judgeScreen({ surface: 'window' }).message, /You shared a window, not your entire screen/);
    assert.equal(judgeScreen({ surface: 'browser' }).verdict, 'warn');
    assert.equal(judgeScreen({}).verdict, 'pass', 'a browser that does not say what was shared');
    assert.equal(judgeScreen(new ProctorError('screen-denied', 'no')).verdict, 'fail');
    assert.match(judgeScreen(new ProctorError('screen-unsupported', 'no')).message, /cannot share the screen/);
  });
});

describe('the network verdict', () => {
  test('passes a good connection with rounded figures', () => {
    assert.deepEqual(judgeNetwork(GOOD_NETWORK, T), {
      verdict: 'pass',
      rttMs: 42.3,
      downloadMbps: 49,
      uploadMbps: 9.9,
      downloadBytes: 1_000_000,
      uploadBytes: 1_000_000,
      message: 'Your connection is good: 42.3 ms round trip, 49 Mbit/s down, 9.9 Mbit/s up.',
    });
  });

  test('warns above 300 ms and fails above 1000 ms of round trip', () => {
    assert.equal(judgeNetwork({ ...GOOD_NETWORK, rttMs: 300 }, T).verdict, 'pass');
    assert.equal(judgeNetwork({ ...GOOD_NETWORK, rttMs: 301 }, T).verdict, 'warn');
    const far = judgeNetwork({ ...GOOD_NETWORK, rttMs: 1200 }, T);
    assert.equal(far.verdict, 'fail');
    assert.match(far.message, /1200 ms round trip\)\. Move closer to the Wi-Fi router or use a cable/);
  });

  test('fails upload below 0.5 Mbit/s, warns below 1.5; warns slow download only', () => {
    assert.equal(judgeNetwork({ ...GOOD_NETWORK, uploadMbps: 0.4 }, T).verdict, 'fail');
    assert.match(judgeNetwork({ ...GOOD_NETWORK, uploadMbps: 1.2 }, T).message, /upload is slow \(1\.2 Mbit\/s; 1\.5 or more is best\)/);
    assert.equal(judgeNetwork({ ...GOOD_NETWORK, downloadMbps: 0.1 }, T).verdict, 'warn');
  });

  test('fails with the test’s own advice when the server could not be reached', () => {
    const error = new ProctorError('connection-refused', 'Could not reach the exam server. Check that you are online, then run the check again.');
    assert.deepEqual(judgeNetwork(error, T), { verdict: 'fail', message: error.message });
  });

  test('the round trip is the median of the pings', () => {
    assert.equal(median([30, 10, 500, 20, 25]), 25);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});

describe('the result', () => {
  test('is the worst verdict of the checks that ran', () => {
    assert.equal(overallVerdict(['pass', 'skipped', 'pass']), 'pass');
    assert.equal(overallVerdict(['pass', 'warn', 'skipped']), 'warn');
    assert.equal(overallVerdict(['warn', 'fail', 'pass']), 'fail');
  });

  test('fits a session log line (2 KB of JSON) even with every longest message', () => {
    const longest = <R extends { message: string }>(...results: R[]) =>
      results.reduce((a, b) => (b.message.length > a.message.length ? b : a));
    const none = Object.fromEntries(BROWSER_FEATURES.map((f) => [f, f === 'secure-context'])) as Record<BrowserFeature, boolean>;
    const result: DeviceCheckResult = {
      verdict: 'fail',
      at: 1_900_000_000_000,
      camera: longest(
        judgeCamera({ width: 99_999, height: 99_999, fps: 1.5 }, T),
        judgeCamera({ width: 99_999, height: 99, fps: 99 }, T),
        judgeCamera({ width: 99_999, height: 99_999, fps: 9.4 }, T),
      ),
      microphone: longest(...(['denied', 'missing', 'in-use', 'unsupported'] as const).map((p) => judgeMicrophone(p, T))),
      screen: longest(judgeScreen(new ProctorError('screen-denied', '')), judgeScreen({ surface: 'browser', width: 99_999, height: 99_999 })),
      network: longest(
        judgeNetwork({ ...GOOD_NETWORK, rttMs: 999.95, uploadMbps: 1.49, downloadBytes: 5_000_000, uploadBytes: 5_000_000 }, T),
        judgeNetwork({ ...GOOD_NETWORK, rttMs: 99_999.95, downloadBytes: 5_000_000, uploadBytes: 5_000_000 }, T),
      ),
      browser: judgeBrowser(none, true),
    };
    // A log line's data is a plain JSON object: the result goes in as it is.
    const data: Record<string, unknown> = result;
    const size = JSON.stringify(data).length;
    assert.ok(size <= 2048, `${size} bytes of JSON`);
  });
});
