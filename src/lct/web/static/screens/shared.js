// Pieces more than one screen uses: the draw table and the start of a live tournament screen.
import { errorText, isNotFound } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { fullName, samePlayer } from "../lib/players.js";
import { h, showError, showNotFound } from "../lib/ui.js";

function drawRow(player, me) {
  const mine = samePlayer(player, me);
  return h(
    "tr",
    {
      class: mine ? "mine" : null,
      "data-testid": "draw-row",
      "data-player": fullName(player),
      "data-team": player.drawnTeam || "",
      "aria-current": mine ? "true" : null,
    },
    h("td", {}, fullName(player), mine ? h("span", { class: "tag" }, t("you")) : null),
    h("td", {}, player.drawnTeam || "—"),
  );
}

/** The draw as a table; rows in registration order so every screen shows the very same table. */
export function drawTable(state, me) {
  return h(
    "table",
    { class: "result", "data-testid": "draw-result" },
    h("caption", {}, t("drawResultTitle")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("colPlayer")), h("th", { scope: "col" }, t("colClub")))),
    h("tbody", {}, state.players.map((p) => drawRow(p, me))),
  );
}

/** A failed request: a missing tournament replaces the screen, anything else is shown in `error`. */
export function showFailure(main, error, err) {
  if (isNotFound(err)) showNotFound(main);
  else showError(error, errorText(err));
}

/**
 * The first read of a live screen: read the state over HTTP, then `start()` (live updates), unless
 * `leaving()` by then. When the read fails the screen still starts, except for a missing tournament.
 */
export function goLive({ main, session, error, start, leaving = () => false }) {
  session.refresh().then(
    () => {
      if (!leaving()) start();
    },
    (err) => {
      showFailure(main, error, err);
      if (!isNotFound(err)) start();
    },
  );
}
