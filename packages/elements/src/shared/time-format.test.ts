/// <reference path="../../test-support/mocha-globals.d.ts" />
import { expect } from '@open-wc/testing';
import { crossedWarning, formatRemaining, spokenMinutes, spokenRemaining } from './time-format.js';

const MINUTE = 60_000;

describe('the candidate clock', () => {
  it('shows mm:ss up to an hour and h:mm:ss above, rounding seconds up', () => {
    expect(formatRemaining(60 * MINUTE)).to.equal('60:00');
    expect(formatRemaining(60 * MINUTE - 1)).to.equal('60:00');
    expect(formatRemaining(59 * MINUTE + 59_000)).to.equal('59:59');
    expect(formatRemaining(65 * MINUTE)).to.equal('1:05:00');
    expect(formatRemaining(2 * 60 * MINUTE + 61_000)).to.equal('2:01:01');
    expect(formatRemaining(9_001)).to.equal('00:10');
    expect(formatRemaining(1)).to.equal('00:01');
    expect(formatRemaining(0)).to.equal('00:00');
    expect(formatRemaining(-5)).to.equal('00:00');
  });

  it('says the time left in whole minutes, so a screen reader label changes once a minute', () => {
    expect(spokenRemaining(42 * MINUTE + 13_000)).to.equal('42 minutes');
    expect(spokenRemaining(60 * MINUTE)).to.equal('1 hour');
    expect(spokenRemaining(91 * MINUTE)).to.equal('1 hour 31 minutes');
    expect(spokenRemaining(120 * MINUTE)).to.equal('2 hours');
    expect(spokenRemaining(MINUTE)).to.equal('1 minute');
    expect(spokenRemaining(30_000)).to.equal('less than a minute');
    expect(spokenRemaining(0)).to.equal('no time');
    expect(spokenMinutes(5)).to.equal('5 minutes');
  });

  it('warns once when the time left goes below 5 minutes, then below 1 minute', () => {
    expect(crossedWarning(5 * MINUTE + 400, 5 * MINUTE - 600)).to.equal(5 * MINUTE);
    expect(crossedWarning(5 * MINUTE - 600, 5 * MINUTE - 1600)).to.equal(undefined);
    expect(crossedWarning(MINUTE + 10, MINUTE)).to.equal(MINUTE);
    expect(crossedWarning(6 * MINUTE, 30_000), 'a long jump names the lowest threshold').to.equal(MINUTE);
    expect(crossedWarning(undefined, 4 * MINUTE), 'a page opened with 4 minutes left is not warned').to.equal(undefined);
    expect(crossedWarning(4 * MINUTE, 9 * MINUTE), 'an extension is not a warning').to.equal(undefined);
    expect(crossedWarning(2_000, 0), 'the end is not a warning').to.equal(undefined);
  });
});
