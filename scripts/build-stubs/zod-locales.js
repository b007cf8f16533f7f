// Build-time stand-in for zod's locale index: threesix's messages are English, and the ~40 other
// locales would otherwise be parsed at every start.
export { default as en } from '../../node_modules/zod/v4/locales/en.js';
