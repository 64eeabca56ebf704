/**
 * Proctorkit's custom elements. Importing this module registers `<proctor-candidate>`,
 * `<proctor-grid>` and `<proctor-tile>`.
 * @module @proctorkit/elements
 */
export * from './candidate/candidate.js';
export * from './grid/grid.js';
export * from './tile/tile.js';
export type * from './shared/events.js';
