// Shared DOM helpers: element building, announcements, the connection banner, errors and buttons.
import { t } from "./i18n.js";
import { url } from "./paths.js";

const announcer = document.getElementById("announcer");
const banner = document.getElementById("connection-banner");

/** h("p", {class, text, onclick, "data-x": ...}, ...children): null/undefined/false skip an attribute or child. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Read `text` out to screen readers (cleared first so that a repeated text is announced again). */
export function announce(text) {
  announcer.textContent = "";
  requestAnimationFrame(() => {
    announcer.textContent = text;
  });
}

/** The "Reconnecting…" banner: shown only while the hub is reconnecting. */
export function setBanner(hubState) {
  if (hubState === "reconnecting") {
    banner.textContent = t("reconnecting");
    banner.hidden = false;
  } else {
    banner.hidden = true;
    banner.textContent = "";
  }
}

export function setDisabled(el, disabled) {
  el.disabled = disabled;
  el.toggleAttribute("disabled", disabled);
}

/** A button that shows `busyText` and is disabled while busy, and `idleText` otherwise. */
export function setBusy(button, busy, idleText, busyText) {
  setDisabled(button, busy);
  button.textContent = busy ? busyText : idleText;
}

/** The paragraph a screen shows its errors in (data-testid="error"). */
export function errorLine({ assertive = false, id = null } = {}) {
  return h("p", { class: "error", role: "alert", "aria-live": assertive ? "assertive" : null, "data-testid": "error", id });
}

export function showError(el, text) {
  el.textContent = text || "";
}

/** A card with an error and a way back to the start page. */
export function notFoundCard(text) {
  return h(
    "section",
    { class: "card" },
    h("p", { class: "error", role: "alert", "data-testid": "error" }, text),
    h("a", { class: "btn btn-secondary", href: url("/"), "data-link": true }, t("newTournament")),
  );
}

/** Replace the whole screen with "we could not find this tournament". */
export function showNotFound(main) {
  main.replaceChildren(notFoundCard(t("err_TournamentNotFound")));
}

/** The "Free seat" rows that follow `count` players in a list of `limit` seats. */
export function emptySeats(count, limit) {
  const rows = [];
  for (let i = count; i < limit; i += 1) rows.push(h("li", { class: "seat-empty" }, h("span", {}, t("emptySeat"))));
  return rows;
}
