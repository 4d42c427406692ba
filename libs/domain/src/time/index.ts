// Time in Europe/London: the zone, durations, deadlines, the send window, instants and units.
export * from './london-zone.js';
export * from './durations.js';
export * from './deadlines.js';
export * from './send-window.js';
export * from './instants.js';
export * from './units.js';
