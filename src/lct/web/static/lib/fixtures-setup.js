// The host's choice of format after the draw: a league (one or two legs) or a knockout. The same card replaces
// the fixtures while no match has a score (the server refuses later: 409 FixturesInProgress).
import { makeFixtures } from "./fixtures-api.js";
import { h } from "./fixtures-dom.js";
import { errorText, plural, t } from "./fixtures-texts.js";

function leagueMatches(players, legs) {
  return ((players * (players - 1)) / 2) * legs;
}

function byes(players) {
  let size = 1;
  while (size < players) size *= 2;
  return size - players;
}

function legsChoice(onChange) {
  const option = (legs, text) =>
    h(
      "label",
      { class: "fx-choice" },
      h("input", { type: "radio", name: "fx-legs", value: legs, checked: legs === 1, "data-testid": `fixtures-legs-${legs}`, onchange: onChange }),
      h("span", {}, text),
    );
  return h("fieldset", { class: "fx-legs" }, h("legend", {}, t("fx_legsLegend")), option(1, t("fx_legs1")), option(2, t("fx_legs2")));
}

function leagueOption(players, create) {
  const count = h("p", { class: "hint", "data-testid": "fixtures-league-count" });
  const legs = () => Number(box.querySelector("input[name=fx-legs]:checked")?.value || 1);
  const update = () => {
    count.textContent = plural(leagueMatches(players, legs()), "fx_nMatches");
  };
  const button = h("button", { type: "button", class: "btn btn-block", "data-testid": "fixtures-league" }, t("fx_makeLeague"));
  button.addEventListener("click", () => create(button, { format: "league", legs: legs() }));
  const box = h(
    "div",
    { class: "fx-format" },
    h("h3", {}, t("fx_league")),
    h("p", {}, t("fx_leagueAbout")),
    legsChoice(() => update()),
    count,
    button,
  );
  update();
  return box;
}

function knockoutOption(players, create) {
  const free = byes(players);
  const button = h("button", { type: "button", class: "btn btn-block", "data-testid": "fixtures-knockout" }, t("fx_makeKnockout"));
  button.addEventListener("click", () => create(button, { format: "knockout" }));
  return h(
    "div",
    { class: "fx-format" },
    h("h3", {}, t("fx_knockout")),
    h("p", {}, t("fx_knockoutAbout")),
    h("p", { class: "hint" }, plural(players - 1, "fx_nMatches"), free ? ` · ${plural(free, "fx_nByes")}` : ""),
    button,
  );
}

/**
 * The format card. `players`: how many drew a club; `replacing`: fixtures exist (no score yet);
 * `onCreated(fixtures)`: the 201 answer.
 */
export function setupCard({ tournamentId, token, players, replacing = false, onCreated }) {
  const error = h("p", { class: "error", role: "alert", "data-testid": "fixtures-error" });
  const create = async (button, body) => {
    const buttons = [...card.querySelectorAll("button")];
    buttons.forEach((b) => (b.disabled = true));
    const idle = button.textContent;
    button.textContent = t("fx_making");
    error.textContent = "";
    try {
      onCreated(await makeFixtures(tournamentId, token, body));
    } catch (failure) {
      error.textContent = errorText(failure, "fixtures");
    } finally {
      buttons.forEach((b) => (b.disabled = false));
      button.textContent = idle;
    }
  };
  const card = h(
    "section",
    { class: "card fx-setup", "data-testid": "fixtures-setup" },
    h("h2", {}, t(replacing ? "fx_replaceTitle" : "fx_setupTitle")),
    h("p", { class: "lead" }, replacing ? t("fx_replaceIntro") : plural(players, "fx_setupIntro")),
    error,
    h("div", { class: "fx-formats" }, leagueOption(players, create), knockoutOption(players, create)),
  );
  return card;
}
