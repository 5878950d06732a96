// Screen "/t/{id}/host": the room code, QR code and links to join, the players live with the host's controls, the
// draw and what comes after it. Only a device holding the host token controls anything; any other device sees the
// live tournament read-only, and says so.
import { getLinks, v2 } from "../lib/api.js";
import { controlsBox, renameForm, updateControls } from "../lib/host-controls.js";
import { inviteCard, updateInvite } from "../lib/host-invite.js";
import { updatePlayers } from "../lib/host-players.js";
import { addTexts, t } from "../lib/i18n.js";
import { drawTable, resultLinks, ruleLine } from "../lib/lobby.js";
import { clicksByPlayer, fullName, isDrawn } from "../lib/players.js";
import { loadHostToken, rememberHosted, saveHostToken } from "../lib/session.js";
import { announce, button, errorLine, h } from "../lib/ui.js";
import { liveSession } from "./shared.js";

addTexts({
  en: {
    joined: "{player} joined.",
    readOnly: "This device does not hold the host key of this tournament: you see it live, read-only. The host can give you a link to this screen.",
    playersTitle: "Players {n} of {seats}",
    nextRoundOpen: "Open the next round",
  },
  pl: {
    joined: "Nowy gracz: {player}.",
    readOnly: "To urządzenie nie ma klucza gospodarza tego turnieju: widzisz go na żywo, tylko do odczytu. Gospodarz może dać ci link do tego ekranu.",
    playersTitle: "Gracze: {n} z {seats}",
    nextRoundOpen: "Otwórz kolejną rundę",
  },
});

function hostView(app, id) {
  const token = loadHostToken(id);
  return {
    ...app,
    id,
    token,
    isHost: Boolean(token),
    links: null,
    drawing: false,
    error: errorLine(),
    title: h("h1", { tabindex: -1, class: "wrap" }, t("loading")),
    readOnly: h("p", { class: "notice", "data-testid": "host-readonly", hidden: true }, t("readOnly")),
    rule: h("div", {}),
    result: h("div", {}),
    next: h("div", {}),
    playersTitle: h("h2", {}),
    list: h("ul", { class: "players host-players", "data-testid": "player-list" }),
  };
}

function showResult(view, state) {
  if (!isDrawn(state)) {
    view.result.replaceChildren();
    return;
  }
  const links = resultLinks(state, { host: view.isHost });
  const next = view.isHost ? view.parts.next : null;
  view.result.replaceChildren(h("section", { class: "card result-card" }, drawTable(state, null), links, next));
}

function showNextRound(view, state, previous) {
  if (!state.nextId) {
    view.next.replaceChildren();
    return;
  }
  if (view.isHost && previous && !previous.nextId) {
    saveHostToken(state.nextId, view.token); // started on another host screen: follow it
    view.navigate(`/t/${state.nextId}/host`);
    return;
  }
  const path = `/t/${state.nextId}/${view.isHost ? "host" : "tv"}`;
  const go = () => {
    if (view.isHost) saveHostToken(state.nextId, view.token);
    view.navigate(path);
  };
  const open = button(t("nextRoundOpen"), { testid: "next-round-go", onclick: go });
  view.next.replaceChildren(h("div", { class: "notice" }, h("p", {}, t("nextRoundStarted")), open));
}

function updateHost(view, state, previous) {
  view.title.textContent = state.name;
  view.title.title = state.name;
  document.title = `${state.name} · Let Choose Teams`;
  if (view.isHost) rememberHosted(view.id, state.name);
  view.readOnly.hidden = view.isHost;
  view.rename.button.hidden = !view.isHost;
  view.rule.replaceChildren(ruleLine(state));
  view.playersTitle.textContent = t("playersTitle", { n: state.players.length, seats: state.seats });
  updatePlayers(view, view.list, state, clicksByPlayer(state, view.session.clicked));
  updateInvite(view, state, view.links);
  updateControls(view, state);
  view.parts.draw.hidden = !view.isHost || isDrawn(state);
  view.parts.setup.hidden = !view.isHost || isDrawn(state);
  showResult(view, state);
  showNextRound(view, state, previous);
  announceJoins(state, previous);
}

/** Say who joined (the list itself is not a live region: live clicks would make it chatter). */
function announceJoins(state, previous) {
  if (!previous || previous === state) return;
  const known = new Set(previous.players.map((p) => p.id));
  const joined = state.players.filter((p) => !known.has(p.id)).map(fullName);
  if (joined.length) announce(joined.map((player) => t("joined", { player })).join(" "));
}

function hostLayout(view) {
  view.parts = controlsBox(view);
  view.rename = renameForm(view);
  view.main.replaceChildren(
    h("div", { class: "title-row" }, view.title, view.rename.button),
    view.rename.form,
    view.readOnly,
    view.error,
    view.next,
    view.result,
    h(
      "div",
      { class: "host-grid" },
      h("div", { class: "host-col" }, inviteCard(view)),
      h(
        "div",
        { class: "host-col" },
        h("section", { class: "card players-card" }, view.playersTitle, view.rule, view.parts.draw, view.list, view.parts.setup),
      ),
    ),
  );
  view.main.classList.add("wide");
}

/** Is the token this device holds really the host's? (A stale or mistyped link is not.) */
async function checkHost(view) {
  if (!view.token) return;
  try {
    const who = await v2.me(view.id, view.token);
    view.isHost = who.role === "host";
  } catch {
    return; // cannot tell now; a request that needs the token will say
  }
  if (view.session.state) updateHost(view, view.session.state, view.session.state);
}

export function renderHost(app, id) {
  const view = hostView(app, id);
  hostLayout(view);
  const rerender = () => view.session.state && updateHost(view, view.session.state, view.session.state);
  view.session = liveSession(app.main, id, {
    error: view.error,
    onChange: (state, previous) => updateHost(view, state, previous),
    onClicked: rerender,
  });
  checkHost(view);
  getLinks(id).then(
    (links) => {
      view.links = links;
      rerender();
    },
    () => {}, // the page's own address stands in
  );
  return () => {
    view.main.classList.remove("wide");
    view.session.stop();
  };
}
