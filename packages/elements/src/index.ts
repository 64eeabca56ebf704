/**
 * Proctorkit's custom elements. Importing this module registers `<proctor-candidate>`,
 * `<proctor-grid>`, `<proctor-tile>`, `<proctor-controls>`, `<proctor-event-feed>` and
 * `<proctor-review>` (whose player loads on demand, in a chunk of its own).
 * @module @proctorkit/elements
 */
export * from './candidate/candidate.js';
export * from './grid/grid.js';
export * from './tile/tile.js';
export * from './controls/controls.js';
export * from './event-feed/event-feed.js';
export * from './identity-check/identity-check.js';
export * from './identity-review/identity-review.js';
export * from './phone/phone.js';
export * from './phone-pairing/phone-pairing.js';
export * from './device-check/device-check.js';
export * from './review/review.js';
export type * from './shared/events.js';
