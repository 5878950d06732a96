// Screen "/t/{id}/wait": who has picked so far, then the draw with this player's club.
import { errorText } from "../lib/api.js";
import { TournamentSession } from "../lib/hub.js";
import { t } from "../lib/i18n.js";
import { fullName, hasPicked, isDrawn, samePlayer } from "../lib/players.js";
import { loadIdentity } from "../lib/session.js";
import { announce, emptySeats, errorLine, h, showError } from "../lib/ui.js";
import { drawTable, goLive } from "./shared.js";

function waitView(app, id) {
  return {
    ...app,
    id,
    me: loadIdentity(id),
    leaving: false,
    error: errorLine(),
    title: h("h1", { tabindex: -1 }, t("waitTitle")),
    lead: h("p", { class: "lead", "aria-live": "polite" }),
    yourClub: h("div", { "aria-live": "assertive" }),
    result: h("div", {}),
    whoTitle: h("h2", {}, t("whoPicked")),
    list: h("ul", { class: "players", "aria-live": "polite" }),
  };
}

function showDrawn(view, state, mine, message) {
  const club = mine?.drawnTeam;
  view.title.textContent = t("drawnTitle");
  view.lead.textContent = mine ? "" : t("notPlaying");
  view.yourClub.replaceChildren(club ? h("p", { class: "highlight", "data-testid": "my-club" }, t("yourClub", { team: club })) : "");
  view.result.replaceChildren(h("section", { class: "card" }, drawTable(state, view.me)));
  if (message.type === "TeamsDrawn") announce(club ? t("yourClub", { team: club }) : t("drawnTitle"));
}

function showWaiting(view, mine) {
  view.title.textContent = t("waitTitle");
  view.lead.textContent = mine ? t("waitYouPicked", { team: mine.selectedTeam }) : t("waitSpectator");
}

function waitRow(player, me) {
  const mine = samePlayer(player, me);
  const picked = hasPicked(player);
  return h(
    "li",
    { "data-testid": "wait-row", class: mine ? "mine" : null },
    h("span", { class: "player-name" }, fullName(player), mine ? h("span", { class: "tag" }, t("you")) : null),
    h("span", { class: picked ? "player-club done" : "player-club" }, picked ? `✓ ${player.selectedTeam}` : t("choosing")),
  );
}

function showPlayers(view, state) {
  const rows = state.players.map((p) => waitRow(p, view.me));
  view.list.replaceChildren(...rows, ...emptySeats(state.players.length, state.playerLimit));
  view.whoTitle.textContent = `${t("whoPicked")} (${state.players.filter(hasPicked).length}/${state.playerLimit})`;
}

function updateWait(view, state, message) {
  const mine = view.me ? state.players.find((p) => samePlayer(p, view.me)) : null;
  const drawn = isDrawn(state);
  if (mine && !hasPicked(mine) && !drawn && message.type === "Refresh" && !view.leaving) {
    // Back to the picker: this player has not picked (yet, or any more).
    view.leaving = true;
    view.navigate(`/t/${view.id}/pick`, { replace: true });
    return;
  }
  if (drawn) showDrawn(view, state, mine, message);
  else showWaiting(view, mine);
  showPlayers(view, state);
}

function waitLayout(view) {
  const whoami = view.me ? h("p", { class: "whoami" }, t("playingAs", { player: fullName(view.me) })) : null;
  view.main.replaceChildren(
    h(
      "div",
      { "data-testid": "waiting" },
      h("section", { class: "card" }, view.title, whoami, view.lead),
      view.error,
      view.yourClub,
      view.result,
      h("section", { class: "card" }, view.whoTitle, view.list),
    ),
  );
}

export function renderWait(app, id) {
  const view = waitView(app, id);
  const session = new TournamentSession(id, {
    onChange: (state, message) => updateWait(view, state, message),
    onError: (err) => showError(view.error, errorText(err)),
  });
  waitLayout(view);
  goLive({ main: view.main, session, error: view.error, start: () => session.start(), leaving: () => view.leaving });
  return () => session.stop();
}
