// Read-only pieces of the fixtures (the shapes of GET /api/v2/tournaments/<id>/fixtures, docs/api.md): the next
// match, the league table, the knockout bracket and the champion. Used by the panel (phone and TV) and the screen.
import { fullName, h } from "./fixtures-dom.js";
import { t } from "./fixtures-texts.js";

const SVG = "http://www.w3.org/2000/svg";

/** A knockout bye: a round-1 match with one side only (never played). */
export function isBye(match, format) {
  return format === "knockout" && match.round === 1 && !match.home !== !match.away;
}

export function lastRound(fixtures) {
  return Math.max(1, ...fixtures.matches.map((match) => match.round));
}

/** "Round 2"; in a knockout the last rounds have names: Final, Semi-finals, Quarter-finals. */
export function roundName(fixtures, round) {
  if (fixtures.format !== "knockout") return t("fx_round", { n: round });
  const fromEnd = lastRound(fixtures) - round;
  return fromEnd <= 2 ? t(["fx_final", "fx_semis", "fx_quarters"][fromEnd]) : t("fx_koRound", { n: round });
}

export function matchLabel(fixtures, match) {
  return t("fx_matchLabel", { round: roundName(fixtures, match.round), n: match.order });
}

/** The player id who won (a bye's only player; penalties decide a level knockout score), else null. */
export function winnerId(match, format) {
  if (isBye(match, format)) return (match.home || match.away).playerId;
  const score = match.score;
  if (!score || !match.home || !match.away) return null;
  if (score.home !== score.away) return (score.home > score.away ? match.home : match.away).playerId;
  if (!score.penaltiesWinner) return null;
  return match[score.penaltiesWinner].playerId;
}

export function scoreText(score) {
  return score ? `${score.home} : ${score.away}` : "";
}

/** "Jan Nowak won on penalties" for a level knockout score, else "". */
export function penaltiesText(match) {
  const side = match.score?.penaltiesWinner;
  return side && match[side] ? t("fx_wonOnPenalties", { player: fullName(match[side]) }) : "";
}

/** Who plays a side not known yet: the winner of its source match when the fixtures name it. */
function pendingSide(fixtures, match, index) {
  const sourceId = Array.isArray(match.sources) ? match.sources[index] : null;
  const source = sourceId && fixtures.matches.find((m) => m.id === sourceId);
  return source ? t("fx_winnerOf", { n: source.order }) : t("fx_tbd");
}

/** A side as name + club (or what stands in for an unknown player). */
export function sideView(fixtures, match, key, { me = null, cls = "fx-side" } = {}) {
  const side = match[key];
  if (!side) return h("span", { class: `${cls} fx-unknown` }, h("span", { class: "fx-name" }, pendingSide(fixtures, match, key === "home" ? 0 : 1)));
  return h(
    "span",
    { class: side.playerId === me ? `${cls} fx-me` : cls, "data-player-id": side.playerId },
    h("span", { class: "fx-name" }, fullName(side)),
    h("span", { class: "fx-club" }, side.club),
  );
}

// ---------------------------------------------------------------- next match

export function nextMatchView(fixtures, { me = null } = {}) {
  const match = fixtures.matches.find((m) => m.id === fixtures.next);
  const box = h("section", { class: "fx-next", "data-testid": "next-match", "data-match-id": match ? match.id : "" });
  box.append(h("h2", { class: "fx-kicker" }, t("fx_nextMatch")));
  if (!match) {
    box.append(h("p", { class: "fx-next-none" }, t(fixtures.champion ? "fx_allPlayed" : "fx_waitingResults")));
    return box;
  }
  const mine = !!me && (match.home?.playerId === me || match.away?.playerId === me);
  box.append(
    h("p", { class: "fx-next-label" }, matchLabel(fixtures, match)),
    h(
      "div",
      { class: "fx-versus" },
      sideView(fixtures, match, "home", { me, cls: "fx-next-side" }),
      h("span", { class: "fx-vs", "aria-label": t("fx_versus") }, t("fx_vs")),
      sideView(fixtures, match, "away", { me, cls: "fx-next-side" }),
    ),
  );
  if (mine) box.append(h("p", { class: "fx-you-play" }, t("fx_youPlayNext")));
  return box;
}

// ---------------------------------------------------------------- league table

const COLUMNS = [
  ["played", "fx_colP", "fx_colPlayed", ""],
  ["won", "fx_colW", "fx_colWon", "fx-opt"],
  ["drawn", "fx_colD", "fx_colDrawn", "fx-opt"],
  ["lost", "fx_colL", "fx_colLost", "fx-opt"],
  ["goalsFor", "fx_colGF", "fx_colGoalsFor", "fx-opt"],
  ["goalsAgainst", "fx_colGA", "fx_colGoalsAgainst", "fx-opt"],
  ["goalDifference", "fx_colGD", "fx_colGoalDifference", ""],
  ["points", "fx_colPts", "fx_colPoints", "fx-pts"],
];

function signed(value) {
  return value > 0 ? `+${value}` : String(value).replace("-", "−");
}

function standingsRow(row, me) {
  const cells = COLUMNS.map(([key, , , cls]) =>
    h("td", { class: cls || null, "data-col": key }, key === "goalDifference" ? signed(row[key]) : row[key]),
  );
  return h(
    "tr",
    {
      class: row.playerId === me ? "fx-mine" : null,
      "data-testid": "standings-row",
      "data-player-id": row.playerId,
      "data-position": row.position,
      "data-points": row.points,
      "aria-current": row.playerId === me ? "true" : null,
    },
    h("td", { class: "fx-pos" }, row.position),
    h("th", { scope: "row", class: "fx-who" }, h("span", { class: "fx-name" }, fullName(row)), h("span", { class: "fx-club" }, row.club)),
    cells,
  );
}

export function standingsView(fixtures, { me = null } = {}) {
  const head = COLUMNS.map(([, short, long, cls]) =>
    h("th", { scope: "col", class: cls || null }, h("abbr", { title: t(long) }, t(short))),
  );
  const table = h(
    "table",
    { class: "fx-standings", "data-testid": "standings" },
    h("caption", { class: "visually-hidden" }, t("fx_table")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "fx-pos" }, h("abbr", { title: t("fx_colPosition") }, "#")), h("th", { scope: "col" }, t("fx_colPlayer")), head)),
    h("tbody", {}, (fixtures.standings || []).map((row) => standingsRow(row, me))),
  );
  return h("section", { class: "card fx-table-card" }, h("h2", {}, t("fx_table")), table);
}

// ---------------------------------------------------------------- knockout bracket

/** The matches of each round, in bracket order: each match sits beside the two matches that feed it. The feeders
 * are the match's `sources` when the fixtures name them, else the earlier matches its known players played in;
 * slots still unknown take the remaining matches in console order. */
export function bracketRounds(fixtures) {
  const rounds = [];
  for (const match of [...fixtures.matches].sort((a, b) => a.order - b.order)) {
    (rounds[match.round - 1] ||= []).push(match);
  }
  const ordered = rounds.filter(Boolean);
  for (let r = ordered.length - 2; r >= 0; r--) ordered[r] = feedersOf(ordered[r + 1], ordered[r]);
  return ordered;
}

function feederOf(match, index, earlier) {
  const sourceId = Array.isArray(match.sources) ? match.sources[index] : null;
  if (sourceId) return earlier.find((m) => m.id === sourceId) || null;
  const side = match[index === 0 ? "home" : "away"];
  return (side && earlier.find((m) => m.home?.playerId === side.playerId || m.away?.playerId === side.playerId)) || null;
}

function feedersOf(later, earlier) {
  if (later.length * 2 !== earlier.length) return earlier;
  const slots = later.flatMap((match) => [feederOf(match, 0, earlier), feederOf(match, 1, earlier)]);
  const placed = slots.filter((m, i) => m && slots.indexOf(m) === i);
  const rest = earlier.filter((m) => !placed.includes(m));
  return slots.map((m, i) => (m && slots.indexOf(m) === i ? m : rest.shift()));
}

function bracketSide(fixtures, match, key, me) {
  const won = winnerId(match, fixtures.format);
  const side = match[key];
  const cls = side && won === side.playerId ? "fx-bside fx-winner" : "fx-bside";
  const goals = match.score ? match.score[key] : "";
  const pens = match.score?.penaltiesWinner === key ? h("span", { class: "fx-pens-mark", title: t("fx_penalties") }, t("fx_pensShort")) : null;
  return h("div", { class: cls }, sideView(fixtures, match, key, { me }), h("span", { class: "fx-bscore" }, goals, pens));
}

function bracketMatch(fixtures, match, me) {
  const bye = isBye(match, fixtures.format);
  const state = bye ? "bye" : match.score ? "done" : match.id === fixtures.next ? "next" : "waiting";
  const item = h("li", {
    class: `fx-bmatch fx-b-${state}`,
    "data-testid": "bracket-match",
    "data-match-id": match.id,
    "data-state": state,
  });
  if (bye) {
    const key = match.home ? "home" : "away";
    const note = h("span", { class: "fx-bye-note", "data-testid": "bracket-bye" }, t("fx_bye"));
    item.append(h("div", { class: "fx-bside fx-winner" }, sideView(fixtures, match, key, { me }), note));
  } else {
    item.append(bracketSide(fixtures, match, "home", me), bracketSide(fixtures, match, "away", me));
  }
  return item;
}

export function bracketView(fixtures, { me = null } = {}) {
  const rounds = bracketRounds(fixtures);
  const grid = h("div", { class: "fx-bracket", "data-testid": "bracket" });
  grid.style.setProperty("--fx-rounds", String(rounds.length));
  rounds.forEach((matches, index) => {
    const round = index + 1;
    grid.append(
      h(
        "section",
        { class: "fx-bround", "data-testid": "bracket-round", "data-round": round },
        h("h3", {}, roundName(fixtures, round)),
        h("ol", { class: "fx-bmatches" }, matches.map((match) => bracketMatch(fixtures, match, me))),
      ),
    );
  });
  return h("section", { class: "card fx-bracket-card" }, h("h2", {}, t("fx_bracket")), grid);
}

// ---------------------------------------------------------------- champion

function trophy() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 64 64");
  svg.setAttribute("class", "fx-trophy");
  svg.setAttribute("aria-hidden", "true");
  const shapes = [
    ["path", "M18 6h28v14c0 9-6 16-14 16S18 29 18 20z"],
    ["path", "M18 10H8v6c0 7 5 12 12 12v-5c-4 0-7-3-7-7v-1h5zM46 10h10v6c0 7-5 12-12 12v-5c4 0 7-3 7-7v-1h-5z"],
    ["path", "M28 36h8v10h-8z"],
    ["path", "M20 48h24v6H20zM16 56h32v4H16z"],
  ];
  for (const [tag, d] of shapes) {
    const shape = document.createElementNS(SVG, tag);
    shape.setAttribute("d", d);
    shape.setAttribute("fill", "currentColor");
    svg.append(shape);
  }
  return svg;
}

export function championView(fixtures, { me = null } = {}) {
  const champion = fixtures.champion;
  if (!champion) return null;
  const confetti = h("div", { class: "fx-confetti", "aria-hidden": "true" });
  for (let i = 0; i < 18; i++) confetti.append(h("span", { class: "fx-confetto" }));
  return h(
    "section",
    { class: "fx-champion", "data-testid": "champion", "data-player-id": champion.playerId, role: "status" },
    confetti,
    trophy(),
    h("p", { class: "fx-kicker" }, t("fx_champion")),
    h("p", { class: "fx-champion-name" }, fullName(champion)),
    h("p", { class: "fx-champion-club" }, champion.club),
    champion.playerId === me ? h("p", { class: "fx-you-play" }, t("fx_youWon")) : null,
  );
}
