// Placeholder until the fixtures screen lands: a plain message.
import { renderMessage } from "./message.js";

export function renderFixtures(app) {
  return renderMessage(app, "…");
}
