// Screen "/t/{id}/host": the QR code and link to join, the players as they join and pick, the draw.
import { api, errorText } from "../lib/api.js";
import { TournamentSession } from "../lib/hub.js";
import { t } from "../lib/i18n.js";
import { url } from "../lib/paths.js";
import { applyDraw, fullName, hasPicked, isDrawn } from "../lib/players.js";
import { announce, emptySeats, errorLine, h, setDisabled, showError } from "../lib/ui.js";
import { drawTable, goLive } from "./shared.js";

function hostView(id) {
  const joinUrl = `${location.origin}${url(`/t/${id}/join`)}`;
  return {
    id,
    joinUrl,
    drawing: false,
    error: errorLine(),
    title: h("h1", { tabindex: -1 }, t("loading")),
    copyStatus: h("p", { class: "hint", role: "status", "aria-live": "polite" }),
    link: h("a", { class: "join-link", href: joinUrl, "data-testid": "join-link", target: "_blank", rel: "noopener" }, joinUrl),
    playersTitle: h("h2", {}),
    list: h("ul", { class: "players", "aria-live": "polite", "data-testid": "player-list" }),
    hint: h("p", { class: "hint", id: "draw-hint", role: "status" }),
    resultBox: h("div", { "aria-live": "polite" }),
  };
}

async function copyLink(view) {
  try {
    await navigator.clipboard.writeText(view.joinUrl);
    view.copyStatus.textContent = t("copied");
  } catch {
    const range = document.createRange();
    range.selectNodeContents(view.link);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    view.copyStatus.textContent = t("copyFailed");
  }
}

async function drawClubs(view, session) {
  if (view.drawing) return;
  view.drawing = true;
  setDisabled(view.drawButton, true);
  view.drawButton.textContent = t("drawing");
  showError(view.error, "");
  try {
    const drawn = await api("GET", `/api/Tournament/draw?tournamentId=${encodeURIComponent(view.id)}`);
    applyDraw(session.state, Array.isArray(drawn) ? drawn : []);
    announce(t("drawDone"));
  } catch (err) {
    showError(view.error, errorText(err));
    session.refresh().catch(() => {});
  } finally {
    view.drawing = false;
    view.drawButton.textContent = t("draw");
    updateHost(view, session.state);
  }
}

function playerRow(player) {
  const picked = hasPicked(player);
  return h(
    "li",
    { "data-testid": "player-row" },
    h("span", { class: "player-name" }, fullName(player)),
    h("span", { class: picked ? "player-club done" : "player-club" }, picked ? player.selectedTeam : t("choosing")),
  );
}

/** Enable the draw only when every seat is taken and every player has picked; say what is missing. */
function updateDraw(view, state) {
  const drawn = isDrawn(state);
  const missingPlayers = state.playerLimit - state.players.length;
  const missingPicks = state.players.filter((p) => !hasPicked(p)).length;
  const ready = missingPlayers === 0 && missingPicks === 0 && !drawn;
  setDisabled(view.drawButton, !ready || view.drawing);
  if (drawn) view.hint.textContent = t("drawDone");
  else if (missingPlayers > 0) view.hint.textContent = t("drawNeedPlayers", { n: missingPlayers });
  else if (missingPicks > 0) view.hint.textContent = t("drawNeedPicks", { n: missingPicks });
  else view.hint.textContent = t("drawReady");
  view.resultBox.replaceChildren(drawn ? h("section", { class: "card" }, drawTable(state, null)) : "");
}

function updateHost(view, state) {
  if (!state) return;
  view.title.textContent = state.tournamentName || t("hostTitle");
  document.title = `${state.tournamentName} · Let Choose Teams`;
  const players = state.players;
  view.playersTitle.textContent = t("playersTitle", { n: players.length, limit: state.playerLimit });
  view.list.replaceChildren(...players.map(playerRow), ...emptySeats(players.length, state.playerLimit));
  updateDraw(view, state);
}

function inviteCard(view) {
  const copyButton = h("button", { type: "button", class: "btn btn-secondary", "data-testid": "copy-link", onclick: () => copyLink(view) }, t("copy"));
  return h(
    "section",
    { class: "card invite", "aria-labelledby": "invite-title" },
    h("img", { class: "qr", src: url(`/t/${view.id}/qr.svg`), alt: t("qrAlt"), "data-testid": "join-qr", width: 280, height: 280 }),
    h(
      "div",
      { class: "link-box" },
      h("h2", { id: "invite-title" }, t("hostTitle")),
      h("p", { class: "lead" }, t("hostIntro")),
      h("span", { class: "visually-hidden" }, t("joinLink")),
      view.link,
      copyButton,
      view.copyStatus,
    ),
  );
}

function drawButton(onclick) {
  return h(
    "button",
    { type: "button", class: "btn btn-block", "data-testid": "draw-button", disabled: true, "aria-describedby": "draw-hint", onclick },
    t("draw"),
  );
}

export function renderHost({ main }, id) {
  const view = hostView(id);
  const session = new TournamentSession(id, {
    onChange: (state) => updateHost(view, state),
    onError: (err) => showError(view.error, errorText(err)),
  });
  view.drawButton = drawButton(() => drawClubs(view, session));
  main.replaceChildren(
    view.title,
    view.error,
    view.resultBox,
    inviteCard(view),
    h("section", { class: "card" }, view.playersTitle, view.list, h("div", { class: "draw-box" }, view.drawButton, view.hint)),
  );
  goLive({ main, session, error: view.error, start: () => session.start() });
  return () => session.stop();
}
