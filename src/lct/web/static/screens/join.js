// Screen "/t/{id}/join": a player gives their name and takes a seat (a phone that already holds a seat goes
// straight on). A full, locked or drawn tournament shows a late joiner the live tournament instead of the form.
import { clientSeed, hasCode, v2 } from "../lib/api.js";
import { addTexts, t } from "../lib/i18n.js";
import { drawTable, lobbyRows, ruleLine } from "../lib/lobby.js";
import { clicksByPlayer, hasPicked, isDrawn, mine, picksClubs } from "../lib/players.js";
import { seatStatus, showGone } from "../lib/phone.js";
import { loadPlayer, savePlayer } from "../lib/session.js";
import { errorLine, h, setBusy, showApiError, showError } from "../lib/ui.js";
import { liveSession, showFailure } from "./shared.js";

addTexts({
  en: {
    joinTitle: "Join “{name}”",
    joinTitleGeneric: "Join the tournament",
    joinIntro: "Enter your name. The others will see it on the host's screen.",
    firstName: "First name",
    surname: "Surname",
    joinSubmit: "Join",
    joining: "Joining…",
    seatsTaken: "{n} of {seats} seats taken",
    closed_full: "This tournament is full — every seat is taken. You can follow it live here.",
    closed_locked: "The host has locked joining. You can follow the tournament live here.",
    closed_drawn: "The draw has already happened. Here is the tournament, live.",
    lobbyTitle: "Who is in",
  },
  pl: {
    joinTitle: "Dołącz do „{name}”",
    joinTitleGeneric: "Dołącz do turnieju",
    joinIntro: "Podaj imię i nazwisko. Pozostali zobaczą je na ekranie gospodarza.",
    firstName: "Imię",
    surname: "Nazwisko",
    joinSubmit: "Dołącz",
    joining: "Dołączanie…",
    seatsTaken: "Zajęte miejsca: {n} z {seats}",
    closed_full: "Ten turniej jest pełny — wszystkie miejsca są zajęte. Możesz go śledzić tutaj na żywo.",
    closed_locked: "Gospodarz zablokował dołączanie. Możesz śledzić turniej tutaj na żywo.",
    closed_drawn: "Losowanie już się odbyło. Oto turniej na żywo.",
    lobbyTitle: "Kto gra",
  },
});

function nameInput(id, autocomplete) {
  return h("input", { type: "text", id, "data-testid": id, required: true, maxlength: 100, autocomplete });
}

function joinView(app, id) {
  return {
    ...app,
    id,
    joining: false,
    error: errorLine({ assertive: true }),
    title: h("h1", { tabindex: -1 }, t("joinTitleGeneric")),
    seatsInfo: h("p", { class: "hint", "data-testid": "join-seats" }),
    rule: h("div", {}),
    name: nameInput("join-name", "given-name"),
    surname: nameInput("join-surname", "family-name"),
    submit: h("button", { type: "submit", class: "btn btn-block", "data-testid": "join-submit" }, t("joinSubmit")),
    closed: h("p", { class: "notice", "data-testid": "join-closed", hidden: true }),
    watch: h("section", { class: "card", hidden: true, "data-testid": "join-watch" }),
  };
}

function joinLayout(view) {
  const onsubmit = (event) => {
    event.preventDefault();
    submit(view);
  };
  view.form = h(
    "form",
    { novalidate: true, onsubmit },
    h("p", { class: "lead" }, t("joinIntro")),
    h("div", { class: "field" }, h("label", { for: "join-name" }, t("firstName")), view.name),
    h("div", { class: "field" }, h("label", { for: "join-surname" }, t("surname")), view.surname),
    view.submit,
  );
  view.main.replaceChildren(
    h("section", { class: "card" }, view.title, view.seatsInfo, view.rule, view.closed, view.error, view.form),
    view.watch,
  );
}

function closedReason(state) {
  if (isDrawn(state)) return "drawn";
  if (state.locked) return "locked";
  return state.players.length >= state.seats ? "full" : null;
}

/** The live tournament for someone who cannot join: the lobby, then the result. */
function showWatch(view, state, reason) {
  const looks = clicksByPlayer(state, view.session?.clicked);
  const content = isDrawn(state)
    ? [drawTable(state, null)]
    : [h("h2", {}, t("lobbyTitle")), h("ul", { class: "players" }, lobbyRows(state, looks))];
  view.watch.replaceChildren(...content);
  view.watch.hidden = !reason;
}

function updateJoin(view, state) {
  view.state = state;
  view.title.textContent = t("joinTitle", { name: state.name });
  document.title = `${state.name} · Let Choose Teams`;
  view.title.setAttribute("title", state.name);
  view.seatsInfo.textContent = t("seatsTaken", { n: state.players.length, seats: state.seats });
  view.rule.replaceChildren(ruleLine(state));
  const reason = closedReason(state);
  view.closed.textContent = reason ? t(`closed_${reason}`) : "";
  view.closed.hidden = !reason;
  view.form.hidden = Boolean(reason) && !view.joining;
  showWatch(view, state, reason);
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

const screenFor = (state, player) => (picksClubs(state) && !isDrawn(state) && !hasPicked(player) ? "pick" : "wait");

async function submit(view) {
  showError(view.error, "");
  const player = readPlayer(view);
  if (!player || view.joining) return;
  view.joining = true;
  setBusy(view.submit, true, t("joinSubmit"), t("joining"));
  try {
    const seed = clientSeed();
    const joined = await v2.join(view.id, { ...player, clientSeed: seed });
    const { id: playerId, name, surname } = joined.player;
    savePlayer(view.id, { playerId, token: joined.playerToken, name, surname, clientSeed: seed });
    view.navigate(`/t/${view.id}/${screenFor(joined.tournament, joined.player)}`);
    return;
  } catch (err) {
    showFailure(view.main, view.error, err);
    if (hasCode(err, "PlayerAlreadyAssigned")) view.name.setAttribute("aria-invalid", "true");
  }
  view.joining = false;
  setBusy(view.submit, false, t("joinSubmit"), t("joining"));
  if (view.state) updateJoin(view, view.state);
}

/** This phone already holds a seat here: go on to it, or say why it cannot. */
async function resume(view, me) {
  let state;
  try {
    state = await v2.state(view.id);
  } catch (err) {
    showFailure(view.main, view.error, err);
    return;
  }
  const status = await seatStatus(view.id, state, me);
  if (status === "in") view.navigate(`/t/${view.id}/${screenFor(state, mine(state, me))}`, { replace: true });
  else showGone(view, view.id, status);
}

export function renderJoin(app, id) {
  const view = joinView(app, id);
  joinLayout(view);
  const me = loadPlayer(id);
  if (me) {
    view.form.hidden = true;
    resume(view, me).catch((err) => showApiError(view.error, err));
    return () => {};
  }
  const render = (state) => updateJoin(view, state);
  view.session = liveSession(app.main, id, {
    error: view.error,
    onChange: render,
    onClicked: () => view.state && render(view.state),
  });
  return () => view.session.stop();
}
