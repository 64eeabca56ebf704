// The candidate's page of `npm run bench:recording` (bundled for the browser by page-cpu.ts): the
// real CandidateSession against the kit, the token in the fragment, and `?record=` one of
//   0     recording off (the element always records, so this page exists);
//   1     Proctorkit's recording (recorders, IndexedDB outbox, uploads);
//   bare  recording off, plus one bare MediaRecorder per live feed at the same settings whose
//         chunks are dropped: the browser's encoders alone (`&mime=` another type, e.g. H.264).
// The consent button starts capture (screen sharing needs a click); each live feed shows a
// self-view, as <proctor-candidate> does.
import { CandidateSession, DEFAULT_RECORDER_SETTINGS, recorderMimeType, type CapturedFeed } from '@proctorkit/core';

declare global {
  interface Window {
    /** The session, for the bench to read its state and drain its recordings. */
    benchSession?: CandidateSession;
    /** With `?record=bare`: the MIME type of each feed's bare recorder, once it records. */
    benchBareRecorders?: Partial<Record<CapturedFeed, string>>;
  }
}

const params = new URLSearchParams(location.search);
const mode = params.get('record');
const session = new CandidateSession({ server: '/proctor', token: location.hash.slice(1), record: mode === '1' });
window.benchSession = session;

const previews = new Map<CapturedFeed, { video: HTMLVideoElement; track: MediaStreamTrack }>();
session.state.subscribe((state) => {
  for (const feed of session.feeds) {
    const track = state.feeds[feed].track;
    const shown = previews.get(feed);
    if (shown?.track === track) continue;
    shown?.video.remove();
    previews.delete(feed);
    if (!track) continue;
    const video = document.createElement('video');
    Object.assign(video, { autoplay: true, muted: true, playsInline: true, srcObject: new MediaStream([track]) });
    video.width = 320;
    document.body.append(video);
    previews.set(feed, { video, track });
  }
});

if (mode === 'bare') {
  const mimeType = params.get('mime') || recorderMimeType();
  const bare: Partial<Record<CapturedFeed, string>> = (window.benchBareRecorders = {});
  const recorders: MediaRecorder[] = [];
  session.state.subscribe((state) => {
    for (const feed of session.feeds) {
      const track = state.feeds[feed].track;
      if (!track || bare[feed] || !mimeType) continue;
      const settings = DEFAULT_RECORDER_SETTINGS[feed];
      const recorder = new MediaRecorder(new MediaStream([track]), {
        mimeType,
        videoBitsPerSecond: settings.videoBitsPerSecond,
        videoKeyFrameIntervalDuration: settings.keyframeIntervalMs,
      } as MediaRecorderOptions);
      recorder.start(settings.timesliceMs);
      recorders.push(recorder);
      bare[feed] = recorder.mimeType;
    }
  });
}

document.querySelector('#consent')!.addEventListener('click', () => void session.consent());
session.connect();
