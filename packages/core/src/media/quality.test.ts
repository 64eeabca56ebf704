import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedEncoding } from './quality.js';

test('a 640x480 webcam thumbnail is sent at 320x240, 150 kbit/s at most', () => {
  assert.deepEqual(feedEncoding('webcam', 'thumbnail', 640, 480), {
    scaleResolutionDownBy: 2,
    maxBitrate: 150_000,
    maxFramerate: 15,
  });
});

test('a full-HD screen thumbnail fits inside 320x240', () => {
  const { scaleResolutionDownBy } = feedEncoding('screen', 'thumbnail', 1920, 1080);
  assert.ok(1920 / scaleResolutionDownBy <= 320);
  assert.ok(1080 / scaleResolutionDownBy <= 240);
});

test('a source already smaller than a thumbnail is never scaled up', () => {
  assert.equal(feedEncoding('phone', 'thumbnail', 160, 120).scaleResolutionDownBy, 1);
});

test('full quality sends the source unscaled with a bitrate fit for reading a screen', () => {
  const screen = feedEncoding('screen', 'full', 1920, 1080);
  assert.equal(screen.scaleResolutionDownBy, 1);
  assert.ok(screen.maxBitrate > feedEncoding('webcam', 'full').maxBitrate);
});
