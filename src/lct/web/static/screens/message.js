// The screen for a page that does not exist or a link that is broken, and for a room code nobody has.
import { t } from "../lib/i18n.js";
import { notFoundCard } from "../lib/ui.js";
import { joinCodeCard, normaliseCode } from "./shared.js";

export function renderMessage({ main }, text) {
  main.replaceChildren(notFoundCard(text));
  return () => {};
}

/** /j/<code> with a code the server does not know (it answers 404 with this page): say so, let them retype it. */
export function renderUnknownCode({ main, navigate }, code) {
  const card = joinCodeCard(navigate, { code: normaliseCode(code), error: t("err_RoomCodeNotFound"), heading: "h1" });
  main.replaceChildren(card);
  return () => {};
}
