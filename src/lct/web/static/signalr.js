// Moved to lib/hub.js. Kept so that a page loaded before the move (its old app.js still cached) finds it.
export { HubConnection, hubUrl } from "./lib/hub.js";
