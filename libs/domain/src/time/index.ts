export * from './london-zone.js';
export * from './durations.js';
export * from './deadlines.js';
export * from './send-window.js';
export * from './instants.js';
