// Shared DOM helpers: element building, announcements, the connection banner, errors, buttons and links.
import { errorText, isTransient } from "./api.js";
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

/** A <button type="button">: button(text, {cls, testid, onclick, ...other attributes}). */
export function button(text, { cls = "btn", testid = null, ...attrs } = {}) {
  return h("button", { type: "button", class: cls, "data-testid": testid, ...attrs }, text);
}

/** A name that may be long: it wraps (or, with `clip`, ellipsizes) and keeps the full text in its title. */
export function nameText(text, { clip = false, tag = "span", cls = "" } = {}) {
  return h(tag, { class: `${clip ? "clip" : "wrap"} ${cls}`.trim(), title: text }, text);
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

/** Show `text` in an error line; a `transient` one (no network, server busy) goes away once the hub is back. */
export function showError(el, text, { transient = false } = {}) {
  el.textContent = text || "";
  el.toggleAttribute("data-transient", Boolean(text) && transient);
}

/** Show what went wrong with a request. */
export function showApiError(el, error) {
  showError(el, errorText(error), { transient: isTransient(error) });
}

/** Clear a transient error ("Cannot reach the server"…): the connection is back. */
export function clearTransient(el) {
  if (el.hasAttribute("data-transient")) showError(el, "");
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

/** A link inside the app (the router follows it without reloading). */
export function appLink(path, text, attrs = {}) {
  return h("a", { href: url(path), "data-link": true, ...attrs }, text);
}

/** Copy `text` to the clipboard; say so in `status` (or ask to copy by hand, with `fallback` selected). */
export async function copyText(text, status, fallback) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = t("copied");
  } catch {
    const range = document.createRange();
    range.selectNodeContents(fallback);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    status.textContent = t("copyFailed");
  }
}

/** A link to copy: the link itself (wrapping), a copy button and its status line. */
export function copyableLink(href, { testid, label = null, target = "_blank" } = {}) {
  const link = h("a", { class: "copy-link", href, "data-testid": testid, target, rel: "noopener", "aria-label": label }, href);
  const status = h("p", { class: "hint", role: "status", "aria-live": "polite" });
  const copy = button(t("copy"), {
    cls: "btn btn-secondary",
    testid: testid ? `${testid}-copy` : null,
    onclick: () => copyText(href, status, link),
  });
  return h("div", { class: "copy-box" }, link, h("div", { class: "copy-row" }, copy, status));
}
