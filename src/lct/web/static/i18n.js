// Moved to lib/i18n.js. Kept so that a page loaded before the move (its old app.js still cached) finds it.
export * from "./lib/i18n.js";
