import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordingManifest, RecordingRun } from '../protocol/recording.js';
import type { SessionEvent } from '../protocol/events.js';
import { buildTimeline, formatOffset } from './timeline.js';

const T0 = 1_800_000_000_000;
const s = (seconds: number) => T0 + seconds * 1000;

let seq = 0;
function event(type: string, atSeconds: number, data: Record<string, unknown> = {}, extra: Partial<SessionEvent> = {}): SessionEvent {
  return { seq: ++seq, at: s(atSeconds), type, source: 'server', data, ...extra };
}

function run(runId: string, fromSeconds: number, durationSeconds: number | null, extra: Partial<RecordingRun> = {}): RecordingRun {
  const finished = durationSeconds !== null;
  return {
    runId,
    startedAt: s(fromSeconds),
    endedAt: finished ? s(fromSeconds + durationSeconds) : null,
    durationMs: finished ? durationSeconds * 1000 : null,
    bytes: 1000,
    mimeType: 'video/mp4;codecs=avc1',
    state: finished ? 'complete' : 'recording',
    url: finished ? `/file/${runId}?signature=x` : null,
    chunks: { received: 1, missing: [] },
    ...extra,
  };
}

/** An exam from 0 s to 600 s: the screen shared twice (stopped 151–185 s), the webcam throughout. */
function examLog(): SessionEvent[] {
  const hidden = event('signal.page-hidden', 60, {}, { source: 'candidate' });
  return [
    event('session.joined', -40),
    event('session.started', 0, { durationMs: 600_000 }),
    hidden,
    event('signal.screen-share-stopped', 151, {}, { source: 'candidate' }),
    event('message.sent', 200, { text: 'Share your screen again' }, { source: 'supervisor', by: 'Dr. Reyes' }),
    event('log.question.opened', 250, { question: 3 }, { source: 'host' }),
    event('session.ended', 600, { reason: 'finished' }),
    event('note.added', 700, { noteId: 'n1', at: s(300), text: 'Looks away', by: { role: 'reviewer', id: 'r', name: 'R' } }, { source: 'reviewer' }),
    event('flag.created', 710, { flagId: 'f1', from: s(140), to: s(200), feeds: ['screen'], severity: 'high', reason: 'screen-content', by: {} }, { source: 'reviewer' }),
    event('flag.created', 711, { flagId: 'f2', from: s(20), to: s(30), feeds: ['webcam'], severity: 'low', reason: 'talking', by: {} }, { source: 'reviewer' }),
    event('signal.dismissed', 720, { signalSeq: hidden.seq }, { source: 'reviewer' }),
    event('verdict.signed', 90_000, { verdict: 'accepted' }, { source: 'reviewer' }),
    event('recording.deleted', 9_000_000, {}),
  ];
}

const manifest: RecordingManifest = {
  recordings: [
    { feed: 'webcam', runs: [run('w1', -5, 606)] },
    { feed: 'screen', runs: [run('s1', -3, 154), run('s2', 185, 416)] },
  ],
  gaps: [{ feed: 'screen', from: s(151), to: s(185), reason: 'share-stopped' }],
};

test('the timeline runs from the first recording to the exam end or the last file, with 00:00 at the exam start', () => {
  const timeline = buildTimeline(manifest, examLog(), { now: s(100_000) });
  assert.equal(timeline.start, s(-5));
  assert.equal(timeline.end, s(601), "the webcam's file ends a second after the exam; later records (verdicts, deletion) do not stretch it");
  assert.equal(timeline.origin, s(0));
  assert.equal(timeline.live, false);
  assert.deepEqual(timeline.feeds, ['webcam', 'screen']);
  assert.equal(timeline.offset(s(754)), '12:34');
  assert.equal(timeline.offset(s(-5)), '−00:05');
});

test('runAt finds the run covering a time and the offset into its file, and nothing in a gap', () => {
  const timeline = buildTimeline(manifest, examLog());
  assert.deepEqual(
    (({ run, offsetMs }) => ({ runId: run.runId, offsetMs }))(timeline.runAt('screen', s(200))!),
    { runId: 's2', offsetMs: 15_000 },
  );
  assert.equal(timeline.runAt('screen', s(0))!.offsetMs, 3000);
  assert.equal(timeline.runAt('screen', s(160)), undefined);
  assert.equal(timeline.runAt('phone', s(160)), undefined);
  assert.equal(timeline.nextRun('screen', s(160))!.runId, 's2');
});

test('gaps read as what happened, with times from the exam start', () => {
  const timeline = buildTimeline(manifest, examLog());
  const screen = timeline.gaps.filter((gap) => gap.feed === 'screen');
  assert.deepEqual(
    screen.map((gap) => gap.words),
    ['Screen not recording yet −00:05–−00:03', 'Screen share stopped 02:31–03:05'],
  );
  assert.equal(timeline.gapAt('screen', s(170))!.reason, 'share-stopped');
  assert.equal(timeline.gapAt('webcam', s(170)), undefined);
});

test('a gap the manifest cannot explain takes its words from the log', () => {
  const log = [event('session.started', 0), event('session.left', 100), event('session.joined', 160), event('signal.webcam-stopped', 300), event('session.ended', 500, { reason: 'finished' })];
  const timeline = buildTimeline(
    { recordings: [{ feed: 'webcam', runs: [run('a', 0, 100), run('b', 160, 139), run('c', 320, 180)] }], gaps: [{ feed: 'webcam', from: s(100), to: s(160), reason: 'page-closed' }] },
    log,
  );
  assert.deepEqual(
    timeline.gaps.map((gap) => gap.words),
    ['Page closed 01:40–02:40', 'Camera stopped 04:59–05:20'],
  );
});

test('markers come from the log by kind and severity; flags keep their range, dismissed signals say so', () => {
  const timeline = buildTimeline(manifest, examLog());
  const kinds = timeline.markers.map((marker) => `${marker.kind}:${marker.severity}`);
  assert.deepEqual(kinds, ['flag:low', 'signal:low', 'flag:high', 'signal:medium', 'command:info', 'log:info', 'note:info', 'verdict:info']);
  const hidden = timeline.markers.find((marker) => marker.event.type === 'signal.page-hidden')!;
  assert.equal(hidden.dismissed, true);
  const note = timeline.markers.find((marker) => marker.kind === 'note')!;
  assert.equal(note.at, s(300), 'a note sits where it is about, not when it was written');
  const verdict = timeline.markers.find((marker) => marker.kind === 'verdict')!;
  assert.equal(verdict.at, timeline.end, 'a verdict signed later sits at the end');
  assert.deepEqual(timeline.flags.map((flag) => [flag.at, flag.to]), [[s(20), s(30)], [s(140), s(200)]]);
});

test('next and previous flag step through the flags from the playhead', () => {
  const timeline = buildTimeline(manifest, examLog());
  assert.equal(timeline.nextFlag(s(0))!.at, s(20));
  assert.equal(timeline.nextFlag(s(20))!.at, s(140), 'from a flag, the next one');
  assert.equal(timeline.nextFlag(s(140)), undefined);
  assert.equal(timeline.previousFlag(s(140))!.at, s(20));
  assert.equal(timeline.previousFlag(s(20)), undefined);
});

test('a live session ends now; what is still recording is not uploaded yet', () => {
  const log = [event('session.joined', -10), event('session.started', 0)];
  const timeline = buildTimeline({ recordings: [{ feed: 'webcam', runs: [run('a', 0, 30, { state: 'complete' }), run('b', 30, null)] }], gaps: [] }, log, { now: s(95) });
  assert.equal(timeline.live, true);
  assert.equal(timeline.end, s(95));
  assert.deepEqual(timeline.gaps.map((gap) => gap.words), ['Not uploaded yet 00:30–01:35']);
  assert.equal(timeline.runAt('webcam', s(40)), undefined, 'a run without a file plays nothing');
});

test('a session without recordings still has a timeline over its log', () => {
  const log = [event('session.joined', 0), event('signal.copy', 20, {}, { source: 'candidate' }), event('session.ended', 30, { reason: 'terminated' })];
  const timeline = buildTimeline({ recordings: [], gaps: [] }, log);
  assert.equal(timeline.start, s(0));
  assert.equal(timeline.end, s(30));
  assert.deepEqual(timeline.feeds, []);
  assert.deepEqual(timeline.markers.map((marker) => marker.kind), ['signal', 'command']);
});

test('offsets read as mm:ss, h:mm:ss past an hour, with a minus before the start', () => {
  assert.equal(formatOffset(0), '00:00');
  assert.equal(formatOffset(59_999), '00:59');
  assert.equal(formatOffset(3_723_000), '1:02:03');
  assert.equal(formatOffset(-45_000), '−00:45');
});
