// What several screens show of a tournament: the lobby (who is in, their picks, what they are looking at right
// now), the rule of the draw in one sentence, the result table and the links after the draw.
import { t } from "./i18n.js";
import { clubName, fullName, hasPicked, isDrawn, lookingAt, mine, picksClubs } from "./players.js";
import { appLink, h, nameText } from "./ui.js";

/** The rule of the tournament's draw mode in one sentence (data-testid="rule"). */
export function ruleLine(state, cls = "rule") {
  return h("p", { class: cls, "data-testid": "rule" }, t(`rule_${state.drawMode || "pool"}`));
}

function playerStatus(state, looks, player) {
  const looking = lookingAt(state, looks, player);
  const parts = [];
  if (hasPicked(player)) parts.push(h("span", { class: "done" }, `✓ ${clubName(player.club)}`));
  if (looking) {
    parts.push(h("span", { class: "looking", "data-testid": "looking" }, t("lookingAt", { team: clubName(looking) })));
  }
  if (!parts.length) parts.push(h("span", {}, picksClubs(state) ? t("choosing") : t("waitingForDraw")));
  return h("span", { class: "player-club" }, ...parts);
}

/**
 * One row per player: name (with "you" for this phone), pick and live look; `extra(player)` adds controls (the
 * host's). Then one row per free seat.
 */
export function lobbyRows(state, looks, { me = null, testid = "lobby-row", extra = null } = {}) {
  const own = mine(state, me);
  const rows = state.players.map((player) =>
    h(
      "li",
      { "data-testid": testid, "data-player-id": player.id, class: player === own ? "mine" : null },
      h(
        "span",
        { class: "player-main" },
        nameText(fullName(player), { cls: "player-name" }),
        player === own ? h("span", { class: "tag" }, t("you")) : null,
      ),
      playerStatus(state, looks, player),
      extra ? extra(player) : null,
    ),
  );
  for (let i = state.players.length; i < state.seats && !isDrawn(state); i += 1) {
    rows.push(h("li", { class: "seat-empty" }, h("span", {}, t("emptySeat"))));
  }
  return rows;
}

function drawRow(entry, me) {
  const isMe = Boolean(me) && entry.playerId === me.playerId;
  const name = fullName(entry);
  return h(
    "tr",
    {
      class: isMe ? "mine" : null,
      "data-testid": "draw-row",
      "data-player": name,
      "data-team": entry.club,
      "aria-current": isMe ? "true" : null,
    },
    h("td", {}, nameText(name), isMe ? h("span", { class: "tag" }, t("you")) : null),
    h("td", {}, nameText(clubName(entry.club))),
  );
}

/** The draw as a table of drawn clubs only, in seat order, so every screen shows the very same table. */
export function drawTable(state, me, testid = "draw-result") {
  return h(
    "table",
    { class: "result", "data-testid": testid },
    h("caption", {}, t("drawResultTitle")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("colPlayer")), h("th", { scope: "col" }, t("colPlaysAs")))),
    h("tbody", {}, (state.draw || []).map((entry) => drawRow(entry, me))),
  );
}

/** "You picked X — you play as Y" (pool), "You play as Y" (keep, random); null when this phone has no seat. */
export function myResultText(state, me) {
  const drawn = me ? (state.draw || []).find((d) => d.playerId === me.playerId) : null;
  if (!drawn) return null;
  const player = mine(state, me);
  const team = clubName(drawn.club);
  if (state.drawMode === "pool" && player && hasPicked(player)) {
    return t("youPickedYouPlay", { picked: clubName(player.club), team });
  }
  return t("youPlay", { team });
}

/** After the draw: "check this draw" (a verifiable draw) and the fixtures (when they exist, or for the host). */
export function resultLinks(state, { host = false } = {}) {
  const links = [];
  const link = (screen, text) =>
    appLink(`/t/${state.id}/${screen}`, t(text), { class: "btn btn-secondary", "data-testid": `${screen}-link` });
  if (state.drawProof) links.push(link("verify", "verifyLink"));
  if (state.hasFixtures || (host && isDrawn(state))) links.push(link("fixtures", "fixturesLink"));
  return links.length ? h("div", { class: "link-row" }, ...links) : null;
}
