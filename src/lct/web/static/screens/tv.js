// Screen "/t/{id}/tv": the big screen everyone sees from the couch, needing no input. Before the draw: the QR code,
// the room code and the lobby live (who is looking at which club, who picked what). The draw is revealed one player
// at a time (at once under prefers-reduced-motion), then the result; the fixtures panel once there are fixtures.
import { getLinks } from "../lib/api.js";
import { mountFixturesPanel } from "../lib/fixtures-panel.js";
import { roomCode } from "../lib/host-invite.js";
import { addTexts, t } from "../lib/i18n.js";
import { lobbyRows, ruleLine } from "../lib/lobby.js";
import { clicksByPlayer, clubName, fullName, isDrawn } from "../lib/players.js";
import { url } from "../lib/paths.js";
import { errorLine, h, nameText } from "../lib/ui.js";
import { liveSession } from "./shared.js";

addTexts({
  en: {
    tvScan: "Scan to join",
    tvOrCode: "or type the room code at",
    tvQrAlt: "QR code with the join link",
    tvPlayers: "Players {n} of {seats}",
  },
  pl: {
    tvScan: "Zeskanuj, aby dołączyć",
    tvOrCode: "albo wpisz kod pokoju na",
    tvQrAlt: "Kod QR z linkiem do dołączenia",
    tvPlayers: "Gracze: {n} z {seats}",
  },
});

const REVEAL_STEP_MS = 1100;
const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

function tvView(app, id) {
  return {
    ...app,
    id,
    error: errorLine(),
    title: h("h1", { class: "tv-title clip", "data-testid": "tv-title" }, t("loading")),
    rule: h("div", {}),
    code: h("div", {}),
    base: h("p", { class: "tv-base", "data-testid": "tv-join-url" }),
    lobbyTitle: h("h2", {}),
    lobby: h("ul", { class: "players tv-players" }),
    spotlight: h("p", { class: "tv-spotlight", "data-testid": "tv-reveal", "aria-live": "polite", hidden: true }),
    result: h("div", { class: "tv-result" }),
    fixtures: h("div", { class: "tv-fixtures", "data-testid": "tv-fixtures", hidden: true }),
    revealed: -1, // rows of the result shown; -1 until the draw is known
    timer: null,
    cleanupPanel: null,
  };
}

function resultRow(entry, fresh) {
  return h(
    "tr",
    {
      "data-testid": "tv-result-row",
      "data-player": fullName(entry),
      "data-team": entry.club,
      class: fresh ? "reveal-in" : null,
    },
    h("td", {}, nameText(fullName(entry))),
    h("td", {}, nameText(clubName(entry.club))),
  );
}

function renderResult(view, state) {
  const draw = state.draw || [];
  const shown = Math.min(view.revealed, draw.length);
  const table = h(
    "table",
    {
      class: "result tv-table",
      "data-testid": "tv-draw-result",
      "data-revealed": shown,
      "data-done": String(shown >= draw.length),
    },
    h("caption", {}, t("drawResultTitle")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("colPlayer")), h("th", { scope: "col" }, t("colPlaysAs")))),
    h("tbody", {}, draw.slice(0, shown).map((entry, i) => resultRow(entry, i === shown - 1 && view.timer !== null))),
  );
  view.result.replaceChildren(table);
  const last = draw[shown - 1];
  view.spotlight.hidden = !(view.timer !== null && last);
  if (last && view.spotlight.dataset.shown !== last.playerId) {
    view.spotlight.dataset.shown = last.playerId; // a new element: its animation plays again
    view.spotlight.replaceChildren(h("span", { class: "pop" }, `${fullName(last)} → ${clubName(last.club)}`));
  }
}

/** Reveal the draw one player at a time; the last step stops the timer. */
function reveal(view) {
  clearInterval(view.timer);
  view.revealed = 0;
  view.timer = setInterval(() => {
    const state = view.session.state;
    view.revealed += 1;
    if (!state || view.revealed >= (state.draw || []).length) {
      clearInterval(view.timer);
      view.timer = null;
    }
    if (state) updateTv(view, state);
  }, REVEAL_STEP_MS);
}

function startResult(view, state, previous) {
  if (view.revealed >= 0) return;
  const justDrawn = previous && !isDrawn(previous);
  if (justDrawn && !reducedMotion()) reveal(view);
  else view.revealed = (state.draw || []).length;
}

function mountFixtures(view, state) {
  if (!state.hasFixtures || view.cleanupPanel) return;
  view.fixtures.hidden = false;
  view.cleanupPanel = mountFixturesPanel(view.fixtures, { tournamentId: view.id, size: "tv" }) || (() => {});
}

function updateTv(view, state, previous = state) {
  const drawn = isDrawn(state);
  view.title.textContent = state.name;
  view.title.title = state.name;
  document.title = `${state.name} · TV · Let Choose Teams`;
  view.rule.replaceChildren(ruleLine(state, "rule tv-rule"));
  view.code.replaceChildren(roomCode(state.code, "tv-code"));
  view.lobbyTitle.textContent = t("tvPlayers", { n: state.players.length, seats: state.seats });
  view.lobby.replaceChildren(...lobbyRows(state, clicksByPlayer(state, view.session.clicked), { testid: "tv-player-row" }));
  view.main.classList.toggle("tv-drawn", drawn);
  view.main.classList.toggle("tv-has-fixtures", Boolean(state.hasFixtures));
  if (drawn) {
    startResult(view, state, previous);
    renderResult(view, state);
  }
  mountFixtures(view, state);
}

function tvLayout(view) {
  const qr = h("img", { class: "tv-qr", src: url(`/t/${view.id}/qr.svg`), alt: t("tvQrAlt"), "data-testid": "tv-qr" });
  view.main.classList.add("tv");
  view.main.replaceChildren(
    h("header", { class: "tv-head" }, view.title, view.rule),
    view.error,
    h(
      "div",
      { class: "tv-grid" },
      h("section", { class: "tv-join" }, h("p", { class: "tv-scan" }, t("tvScan")), qr, view.code, view.base),
      h("section", { class: "tv-lobby" }, view.lobbyTitle, view.lobby),
      h("section", { class: "tv-draw" }, view.spotlight, view.result),
      view.fixtures,
    ),
  );
}

function follow(view, nextId) {
  if (nextId && !view.moved) {
    view.moved = true;
    view.navigate(`/t/${nextId}/tv`);
  }
}

export function renderTv(app, id) {
  const view = tvView(app, id);
  tvLayout(view);
  view.session = liveSession(app.main, id, {
    error: view.error,
    onChange: (state, previous) => {
      if (state.nextId && previous && !previous.nextId) follow(view, state.nextId);
      else updateTv(view, state, previous);
    },
    onClicked: () => view.session.state && updateTv(view, view.session.state),
    onMessage: (message) => message.type === "NextRoundStarted" && follow(view, String(message.nextTournamentId || "")),
  });
  getLinks(id).then(
    (links) => {
      view.base.textContent = `${t("tvOrCode")} ${links.base}`;
    },
    () => {},
  );
  return () => {
    clearInterval(view.timer);
    view.cleanupPanel?.();
    view.main.classList.remove("tv", "tv-drawn", "tv-has-fixtures");
    view.session.stop();
  };
}
