/**
 * Proctorkit core: the framework-agnostic heart of the SDK. Sessions, control channel, capture
 * and media providers as plain objects with observable state. Renders nothing.
 * @module @proctorkit/core
 */
export * from './protocol/index.js';
export { ProctorError, type ProctorErrorCode } from './errors.js';
export { Store, type Readable, type Listener } from './util/store.js';
export { setLogLevel, type LogLevel } from './util/logger.js';
export { ControlChannel, type ChannelState, type ControlChannelOptions, type PingSample } from './channel/control-channel.js';
export { controlUrl } from './channel/control-url.js';
export { captureWebcam, captureScreen, WEBCAM_CONSTRAINTS, SCREEN_CONSTRAINTS } from './capture/capture.js';
export { feedEncoding, THUMBNAIL, type FeedEncoding } from './media/quality.js';
export type { CandidateMedia, SupervisorMedia, FeedStreams, FeedStats } from './media/media.js';
export {
  loadChimeSdk,
  type ChimeSdk,
  type ChimeSdkLoader,
  type ChimeMeetingSession,
  type ChimeAudioVideo,
  type ChimeJoin,
  type VideoWish,
} from './media/chime/chime-sdk.js';
export {
  CandidateSession,
  type CandidateSessionOptions,
  type CandidateSessionEvents,
  type CandidateState,
  type CapturedFeed,
  type FeedCapture,
  type ClockView,
  type SupervisorMessage,
  type SessionEnd,
} from './session/candidate-session.js';
export {
  SupervisorRoom,
  type SupervisorRoomOptions,
  type RoomState,
  type RoomEvent,
  type CommandTarget,
} from './session/supervisor-room.js';
export {
  PhoneSession,
  type PhoneSessionOptions,
  type PhoneState,
  type PhoneFacing,
  type RoomScanRequest,
} from './phone/phone-session.js';
export { requestPhonePairing } from './phone/phone-pairing.js';
export { ServerClock, type ServerClockOptions } from './clock/server-clock.js';
export { IntegrityMonitor, type IntegrityOptions, type IntegritySignal } from './integrity/integrity-monitor.js';
export { pageCount, clampPage, pageItems, gridColumns } from './grid/paging.js';
export { uploadIdentityPhoto, submitIdentity, fetchIdentity, fetchIdentityPhoto } from './identity/identity-client.js';
export { ReviewClient } from './review/review-client.js';
export {
  buildTimeline,
  formatOffset,
  SessionTimeline,
  MARKER_KINDS,
  MARKER_SEVERITIES,
  type TimelineOptions,
  type TimelineRun,
  type TimelineGap,
  type TimelineGapReason,
  type TimelineMarker,
  type MarkerKind,
  type MarkerSeverity,
} from './review/timeline.js';
export {
  SyncedPlayback,
  PLAYBACK_RATES,
  type SyncedPlaybackOptions,
  type PlaybackState,
  type FeedPlayback,
  type FeedStatus,
  type DriftStats,
} from './review/synced-playback.js';
export { capturePhoto, type PhotoOptions } from './identity/photo-capture.js';
export {
  DeviceCheck,
  type DeviceCheckOptions,
  type DeviceCheckState,
  type DeviceCheckEvents,
  type CheckStatus,
  type CheckProgress,
} from './device-check/device-check.js';
export {
  CHECK_NAMES,
  type CheckName,
  type CheckVerdict,
  type ItemVerdict,
  type DeviceCheckResult,
  type CameraResult,
  type MicrophoneResult,
  type ScreenResult,
  type NetworkResult,
  type BrowserResult,
  type CameraMeasurement,
  type NetworkMeasurement,
} from './device-check/verdicts.js';
export { checkBrowser, BROWSER_FEATURES, BROWSER_FEATURE_LABELS, type BrowserFeature, type BrowserScope } from './device-check/browser-support.js';
export { probeCamera, CAMERA_PROBE_MS } from './device-check/camera-probe.js';
export { MicrophoneMeter } from './device-check/microphone-meter.js';
export { measureNetwork, NETWORK_TEST_BYTES, NETWORK_TEST_MAX_BYTES, type NetworkTestOptions, type NetworkStep } from './device-check/network.js';
export { DEFAULT_THRESHOLDS, microphoneLevel, type DeviceCheckThresholds } from './device-check/thresholds.js';
export { SessionRecorder, type RecordingStatus, type SessionRecorderOptions } from './recording/session-recorder.js';
export { ChunkOutbox, type OutboxChunk, type OutboxRun } from './recording/chunk-outbox.js';
export { DEFAULT_RECORDER_SETTINGS, recorderMimeType, type RecorderSettings } from './recording/recorder-settings.js';
