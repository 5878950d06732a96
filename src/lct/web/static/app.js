// Let Choose Teams web app: boot, the language switch and client-side routing by pathname (below ROOT).
// The screens live in screens/, what they share in lib/ (REST API v2, live updates over the hub).
import { getLang, otherLang, setLang, t } from "./lib/i18n.js";
import { appPath, url } from "./lib/paths.js";
import { UUID_RE, takeFragment } from "./lib/session.js";
import { setBanner } from "./lib/ui.js";
import { renderCreate } from "./screens/create.js";
import { renderFixtures } from "./screens/fixtures.js";
import { renderHost } from "./screens/host.js";
import { renderJoin } from "./screens/join.js";
import { renderMessage, renderUnknownCode } from "./screens/message.js";
import { renderPick } from "./screens/pick.js";
import { renderTv } from "./screens/tv.js";
import { renderVerify } from "./screens/verify.js";
import { renderWait } from "./screens/wait.js";

const main = document.getElementById("main");
const langButton = document.getElementById("lang-switch");
const app = { main, navigate };

let unmount = () => {};
let firstRender = true;
let shownPath = null;

const SCREENS = {
  create: () => renderCreate(app),
  host: (id) => renderHost(app, id),
  join: (id) => renderJoin(app, id),
  pick: (id) => renderPick(app, id),
  wait: (id) => renderWait(app, id),
  tv: (id) => renderTv(app, id),
  fixtures: (id) => renderFixtures(app, id),
  verify: (id) => renderVerify(app, id),
  badLink: () => renderMessage(app, t("err_badLink")),
  missing: () => renderMessage(app, t("notFoundPage")),
  code: (code) => renderUnknownCode(app, code),
};

// ---------------------------------------------------------------- navigation

function go(href, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  render();
}

/** Show the screen at app path `path` ("/t/{id}/pick"; url() adds ROOT), a new history entry unless `replace`. */
function navigate(path, options) {
  go(url(path), options);
}

function onLinkClick(event) {
  const link = event.target.closest?.("a[data-link]");
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  go(link.getAttribute("href")); // already under ROOT: built with url() or rewritten by the server
}

// ---------------------------------------------------------------- router

function resolve(pathname) {
  if (pathname === "/" || pathname === "/index.html") return { screen: "create" };
  let match = pathname.match(/^\/player\/register\/([^/]+)\/?$/);
  if (match) return { redirect: `/t/${match[1]}/join` };
  match = pathname.match(/^\/j\/([^/]*)\/?$/); // the server redirects a known room code; this one is unknown
  if (match) return { screen: "code", id: safeDecode(match[1]) };
  match = pathname.match(/^\/t\/([^/]+)\/(host|join|pick|wait|tv|fixtures|verify)\/?$/);
  if (!match) return { screen: "missing" };
  let id;
  try {
    id = decodeURIComponent(match[1]).toLowerCase();
  } catch {
    return { screen: "badLink" };
  }
  if (!UUID_RE.test(id)) return { screen: "badLink" };
  return { screen: match[2], id };
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function render() {
  const target = resolve(appPath(location.pathname));
  if (target.redirect) {
    history.replaceState(null, "", url(target.redirect));
    render();
    return;
  }
  // A secret in "#host=…" or "#player=…" is saved, and leaves the address bar, before any screen runs.
  takeFragment(UUID_RE.test(target.id || "") ? target.id : null);
  shownPath = location.pathname;
  unmount();
  setBanner("stopped");
  document.title = "Let Choose Teams";
  unmount = SCREENS[target.screen](target.id) || (() => {});
  if (!firstRender) main.querySelector("h1")?.focus({ preventScroll: false });
  firstRender = false;
}

// ---------------------------------------------------------------- language

function renderLanguage() {
  const lang = getLang();
  document.documentElement.lang = lang;
  langButton.textContent = t("switchLanguage");
  langButton.setAttribute("aria-label", t("switchLanguageLabel"));
  langButton.setAttribute("lang", otherLang());
  document.querySelector(".skip-link").textContent = t("skipToContent");
}

function switchLanguage() {
  // Keep what was typed while the screen is rebuilt in the other language.
  const typed = [...main.querySelectorAll("input[id]")].map((input) => [input.id, input.value]);
  setLang(otherLang());
  renderLanguage();
  render();
  for (const [inputId, value] of typed) {
    const input = document.getElementById(inputId);
    if (input) input.value = value;
  }
  langButton.focus();
}

// ---------------------------------------------------------------- boot

document.addEventListener("click", onLinkClick);
window.addEventListener("popstate", () => {
  if (location.pathname !== shownPath) render(); // not for "#main" (the skip link)
});
langButton.addEventListener("click", switchLanguage);
renderLanguage();
render();
