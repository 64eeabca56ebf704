/**
 * The Proctorkit wire protocol: message, token-claim and status schemas shared by browser and
 * server. Safe to import in Node: nothing here touches the DOM.
 * @module @proctorkit/core/protocol
 */
export * from './feeds.js';
export * from './ids.js';
export * from './claims.js';
export * from './status.js';
export * from './clock.js';
export * from './events.js';
export * from './close-codes.js';
export * from './messages.js';
export * from './parse.js';
export * from './json.js';
export * from './phone.js';
export * from './recording.js';
export * from './review.js';
export * from './review-records.js';
export * from './event-words.js';
