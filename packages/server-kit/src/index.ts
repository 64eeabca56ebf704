/**
 * The Proctorkit server kit: mount it in an Express app to issue tokens, run the live control
 * channel and relay media signaling.
 * @module @proctorkit/server-kit
 */
export { createProctorKit } from './kit.js';
export type { ProctorKit, ProctorKitOptions, AttachOptions, SessionsApi, ReportOptions } from './kit.js';
export { KitError } from './errors.js';
export { DEFAULT_LIMITS } from './limits/limits.js';
export type { KitLimits } from './limits/limits.js';
export { consoleLogger } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export { localProvider } from './providers/local.js';
export type { LocalProviderOptions } from './providers/local.js';
export type { MediaProvider, ProviderHost, SessionRef } from './providers/provider.js';
export { chimeProvider } from './providers/chime/chime-provider.js';
export type { ChimeProvider, ChimeProviderOptions } from './providers/chime/chime-provider.js';
export { MemoryChimeMeetingStore } from './providers/chime/meeting-store.js';
export type { ChimeMeetingRecord, ChimeMeetingStore } from './providers/chime/meeting-store.js';
export type { RateQueueStats } from './providers/chime/rate-queue.js';
export { memoryStore } from './store/memory/memory-store.js';
export { sqliteStore, DEFAULT_SQLITE_PATH } from './store/sqlite/sqlite-store.js';
export type { SqliteStoreOptions } from './store/sqlite/sqlite-store.js';
export { postgresStore } from './store/postgres/postgres-store.js';
export type { PostgresStoreOptions } from './store/postgres/postgres-store.js';
export type {
  KitStore,
  EventDraft,
  EventToAppend,
  Committed,
  StoredDelivery,
  DeliveryState,
  DeliveryFilter,
  AttemptOutcome,
  DisabledEndpoint,
} from './store/kit-store.js';
export { WEBHOOK_EVENT_TYPES } from './webhooks/webhook-types.js';
export type { WebhookEventType, WebhookPayload } from './webhooks/webhook-types.js';
export type { WebhookEndpointOptions } from './webhooks/webhook-options.js';
export type { WebhooksApi, WebhookDelivery, WebhookDeliveryFilter } from './webhooks/webhooks-api.js';
export { DEFAULT_RETRY_SCHEDULE } from './webhooks/retry-schedule.js';
export type { SessionRecord } from './store/session-store.js';
export { localBus, LocalBusNetwork } from './bus/local/local-bus.js';
export type { LocalBusOptions } from './bus/local/local-bus.js';
export { redisBus } from './bus/redis/redis-bus.js';
export type { RedisBusOptions } from './bus/redis/redis-bus.js';
export type { KitBus, BusListener } from './bus/kit-bus.js';
export type { ClusterTimings } from './cluster/cluster.js';
export { FilePhotoStore } from './store/file-photo-store.js';
export { fileRecordingStore, DEFAULT_RECORDING_DIRECTORY } from './recordings/file-recording-store.js';
export type { FileRecordingStoreOptions } from './recordings/file-recording-store.js';
export { objectPhotoStore } from './recordings/object-photo-store.js';
export { s3RecordingStore } from './recordings/s3-recording-store.js';
export type { S3RecordingStoreOptions } from './recordings/s3-recording-store.js';
export type { RecordingStore, StoredObject, ObjectRead, ByteRange, PresignedUpload, PresignOptions } from './recordings/recording-store.js';
export type { PhotoStore, StoredPhoto } from './store/photo-store.js';
export type { IdentityPhoto, IdentityPhotoType, IdentityStatus, IdentitySummary } from '@proctorkit/core/protocol';
export type { IssueOptions } from './tokens.js';
export type { Person } from './limits/person.js';
export type { CandidateClaims, SupervisorClaims, ReviewerClaims, Claims, SessionSummary, SessionEvent, ClockState } from '@proctorkit/core/protocol';
export type { SessionReport, ReportVerdict, ReportScreenshot, RecordingManifest, RecordingRun, Flag, Note, Screenshot, SignalDismissal, VerdictEntry, VerdictSummary, Signer } from '@proctorkit/core/protocol';
