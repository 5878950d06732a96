// The screen for a page that does not exist or a link that is broken: the text and a way back.
import { notFoundCard } from "../lib/ui.js";

export function renderMessage({ main }, text) {
  main.replaceChildren(notFoundCard(text));
  return () => {};
}
