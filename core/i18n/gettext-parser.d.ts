// gettext-parser ships no typings: core/i18n/gettext.ts describes the parts confctl uses.
declare module 'gettext-parser';
