import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlUrl } from './control-url.js';

test('a relative server path becomes a ws URL on the page origin', () => {
  assert.equal(controlUrl('/proctor', 'http://exams.test:3000/candidate?x=1'), 'ws://exams.test:3000/proctor/ws');
});

test('an https page gets a wss URL, and a trailing slash is ignored', () => {
  assert.equal(controlUrl('/proctor/', 'https://exams.test/'), 'wss://exams.test/proctor/ws');
});

test('an absolute server URL on another origin is kept', () => {
  assert.equal(controlUrl('https://proctor.test/kit', 'http://exams.test/'), 'wss://proctor.test/kit/ws');
});
