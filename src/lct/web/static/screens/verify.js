// Placeholder until the verify screen lands: a plain message.
import { renderMessage } from "./message.js";

export function renderVerify(app) {
  return renderMessage(app, "…");
}
