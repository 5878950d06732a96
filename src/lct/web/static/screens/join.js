// Screen "/t/{id}/join": a player gives their name and takes a seat.
import { api, errorText, getTournament, hasCode, isNotFound } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { fullName, hasPicked, isDrawn, samePlayer } from "../lib/players.js";
import { loadIdentity, saveIdentity } from "../lib/session.js";
import { errorLine, h, setBusy, showError, showNotFound } from "../lib/ui.js";
import { showFailure } from "./shared.js";

function nameInput(id, autocomplete) {
  return h("input", { type: "text", id, "data-testid": id, required: true, maxlength: 50, autocomplete });
}

function joinView(id, app) {
  return {
    id,
    ...app,
    error: errorLine({ assertive: true }),
    title: h("h1", { tabindex: -1 }, t("joinTitleGeneric")),
    seatsInfo: h("p", { class: "hint" }),
    name: nameInput("join-name", "given-name"),
    surname: nameInput("join-surname", "family-name"),
    submit: h("button", { type: "submit", class: "btn btn-block", "data-testid": "join-submit" }, t("joinSubmit")),
    extra: h("div", {}),
  };
}

function joinCard(view) {
  const onsubmit = (event) => {
    event.preventDefault();
    submit(view);
  };
  const form = h(
    "form",
    { novalidate: true, onsubmit },
    h("div", { class: "field" }, h("label", { for: "join-name" }, t("firstName")), view.name),
    h("div", { class: "field" }, h("label", { for: "join-surname" }, t("surname")), view.surname),
    view.error,
    view.extra,
    view.submit,
  );
  return h("section", { class: "card" }, view.title, h("p", { class: "lead" }, t("joinIntro")), view.seatsInfo, form);
}

/** The tournament is known: name it, and send a player this phone already is back to their screen. */
function showTournament(view, state) {
  view.title.textContent = t("joinTitle", { name: state.tournamentName });
  view.seatsInfo.textContent = t("seatsLeft", { n: state.players.length, limit: state.playerLimit });
  const me = loadIdentity(view.id);
  const mine = me && state.players.find((p) => samePlayer(p, me));
  if (mine) {
    view.navigate(`/t/${view.id}/${hasPicked(mine) || isDrawn(state) ? "wait" : "pick"}`, { replace: true });
    return;
  }
  if (state.players.length >= state.playerLimit) showError(view.error, t("err_TournamentLimitExceeded"));
}

/** The player from the form, or null after marking what is missing. */
function readPlayer(view) {
  const player = { name: view.name.value.trim(), surname: view.surname.value.trim() };
  view.name.removeAttribute("aria-invalid");
  view.surname.removeAttribute("aria-invalid");
  if (player.name && player.surname) return player;
  if (!player.name) view.name.setAttribute("aria-invalid", "true");
  if (!player.surname) view.surname.setAttribute("aria-invalid", "true");
  showError(view.error, t("err_playerRequired"));
  (player.name ? view.surname : view.name).focus();
  return null;
}

/** There is no login: the same person on a new phone may continue under their name. */
function offerItsMe(view, player) {
  const onclick = () => {
    saveIdentity(view.id, player);
    view.navigate(`/t/${view.id}/pick`);
  };
  const button = h(
    "button",
    { type: "button", class: "btn btn-secondary btn-block", "data-testid": "join-its-me", onclick },
    t("itsMe", { player: fullName(player) }),
  );
  view.extra.replaceChildren(h("p", {}, button));
}

async function submit(view) {
  showError(view.error, "");
  view.extra.replaceChildren();
  const player = readPlayer(view);
  if (!player) return;
  setBusy(view.submit, true, t("joinSubmit"), t("joining"));
  try {
    await api("POST", "/api/Tournament/assignPlayer", { ...player, tournamentId: view.id });
    saveIdentity(view.id, player);
    view.navigate(`/t/${view.id}/pick`);
    return;
  } catch (err) {
    if (isNotFound(err)) {
      showNotFound(view.main);
      return;
    }
    showError(view.error, errorText(err));
    if (hasCode(err, "PlayerAlreadyAssigned")) offerItsMe(view, player);
  }
  setBusy(view.submit, false, t("joinSubmit"), t("joining"));
}

export function renderJoin(app, id) {
  const view = joinView(id, app);
  app.main.replaceChildren(joinCard(view));
  getTournament(id).then(
    (state) => showTournament(view, state),
    (err) => showFailure(app.main, view.error, err),
  );
  return () => {};
}
