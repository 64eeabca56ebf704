import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloseCode, MAX_MESSAGE_BYTES, TERMINAL_CLOSE_CODES, noFeeds, sessionStatus } from './index.js';

describe('sessionStatus', () => {
  test('is offline while the candidate is not connected, whatever the feeds last said', () => {
    assert.equal(sessionStatus(false, noFeeds()), 'offline');
    assert.equal(sessionStatus(false, { webcam: 'live', screen: 'live', phone: 'live' }), 'offline');
    assert.equal(sessionStatus(false, { webcam: 'lost', screen: 'off', phone: 'off' }), 'offline');
  });

  test('is connecting while no feed is live yet', () => {
    assert.equal(sessionStatus(true, noFeeds()), 'connecting');
  });

  test('is live once any feed is live', () => {
    assert.equal(sessionStatus(true, { webcam: 'live', screen: 'off', phone: 'off' }), 'live');
    assert.equal(sessionStatus(true, { webcam: 'off', screen: 'off', phone: 'live' }), 'live');
  });

  test('shows a lost feed even while other feeds are live', () => {
    assert.equal(sessionStatus(true, { webcam: 'live', screen: 'lost', phone: 'live' }), 'feed-lost');
    assert.equal(sessionStatus(true, { webcam: 'off', screen: 'off', phone: 'lost' }), 'feed-lost');
  });

  test('is preparing while the provider prepares the media of a connected candidate', () => {
    assert.equal(sessionStatus(true, noFeeds(), false, true), 'preparing');
    assert.equal(sessionStatus(true, { webcam: 'lost', screen: 'off', phone: 'off' }, false, true), 'preparing');
    assert.equal(sessionStatus(false, noFeeds(), false, true), 'offline');
    assert.equal(sessionStatus(true, noFeeds(), true, true), 'ended');
    assert.equal(sessionStatus(true, noFeeds(), false, false), 'connecting');
  });

  test('is ended once the session ended, connected or not, whatever the feeds say', () => {
    assert.equal(sessionStatus(true, { webcam: 'live', screen: 'lost', phone: 'off' }, true), 'ended');
    assert.equal(sessionStatus(false, noFeeds(), true), 'ended');
    assert.equal(sessionStatus(true, noFeeds(), false), 'connecting');
  });

  test('starts every feed off, in a fresh object each time', () => {
    const feeds = noFeeds();
    assert.deepEqual(feeds, { webcam: 'off', screen: 'off', phone: 'off' });
    feeds.webcam = 'live';
    assert.equal(noFeeds().webcam, 'off');
  });
});

describe('close codes', () => {
  test('mark auth, protocol and replacement closes as terminal, and timeouts or shutdowns as retryable', () => {
    for (const code of [CloseCode.tooBig, CloseCode.badHello, CloseCode.unauthorized, CloseCode.forbidden, CloseCode.replaced]) {
      assert.equal(TERMINAL_CLOSE_CODES.has(code), true, String(code));
    }
    assert.equal(TERMINAL_CLOSE_CODES.has(CloseCode.helloTimeout), false);
    assert.equal(TERMINAL_CLOSE_CODES.has(CloseCode.goingAway), false);
  });

  test('limit messages to 64 KB', () => {
    assert.equal(MAX_MESSAGE_BYTES, 65_536);
  });
});
