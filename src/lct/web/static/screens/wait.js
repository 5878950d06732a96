// Screen "/t/{id}/wait": the lobby until the draw (a player may change their club or leave), then the result with
// this phone's club; the fixtures once the host made them. Without a seat on this phone it is a live read-only view.
import { v2 } from "../lib/api.js";
import { addTexts, t } from "../lib/i18n.js";
import { drawTable, lobbyRows, myResultText, resultLinks, ruleLine } from "../lib/lobby.js";
import { livePhone } from "../lib/phone.js";
import { clicksByPlayer, clubName, fullName, hasPicked, isDrawn, mine, picksClubs } from "../lib/players.js";
import { forgetPlayer, loadPlayer } from "../lib/session.js";
import { announce, button, errorLine, h, setBusy } from "../lib/ui.js";

addTexts({
  en: {
    waitTitle: "Waiting for the draw",
    waitYouPicked: "You picked {team}. You can change it until the host draws.",
    waitKeepPicked: "You picked {team}. You can change it until the host starts.",
    waitRandom: "Nobody picks here: the clubs are dealt at random when the host draws.",
    waitSpectator: "You are watching this tournament.",
    whoPicked: "Who is in ({picked} of {players} picked)",
    whoIsIn: "Who is in ({players})",
    drawnTitle: "The draw is in!",
    startedTitle: "The tournament has started!",
    changeClub: "Change my club",
    leave: "Leave the tournament",
    leaveConfirm: "Leave for good? Your seat and your club will be free for others.",
    leaveYes: "Yes, leave",
    leaving: "Leaving…",
  },
  pl: {
    waitTitle: "Oczekiwanie na losowanie",
    waitYouPicked: "Wybrano {team}. Możesz to zmienić, dopóki gospodarz nie rozpocznie losowania.",
    waitKeepPicked: "Wybrano {team}. Możesz to zmienić, dopóki gospodarz nie rozpocznie turnieju.",
    waitRandom: "Tutaj nikt nie wybiera: drużyny zostaną rozlosowane, gdy gospodarz rozpocznie losowanie.",
    waitSpectator: "Oglądasz ten turniej.",
    whoPicked: "Kto gra (wybrało {picked} z {players})",
    whoIsIn: "Kto gra ({players})",
    drawnTitle: "Losowanie zakończone!",
    startedTitle: "Turniej się rozpoczął!",
    changeClub: "Zmień drużynę",
    leave: "Opuść turniej",
    leaveConfirm: "Na pewno opuścić turniej? Twoje miejsce i drużyna będą wolne dla innych.",
    leaveYes: "Tak, opuść",
    leaving: "Opuszczanie…",
  },
});

function waitView(app, id) {
  return {
    ...app,
    id,
    me: loadPlayer(id),
    error: errorLine(),
    notice: h("div", {}),
    title: h("h1", { tabindex: -1 }, t("waitTitle")),
    whoami: h("p", { class: "whoami clip" }),
    lead: h("p", { class: "lead", "aria-live": "polite", "data-testid": "wait-lead" }),
    rule: h("div", {}),
    actions: h("div", { class: "link-row" }),
    myClub: h("div", { "aria-live": "assertive" }),
    result: h("div", {}),
    whoTitle: h("h2", {}),
    list: h("ul", { class: "players" }),
    lobby: h("section", { class: "card" }),
  };
}

function leaveControls(view) {
  const yes = button(t("leaveYes"), { cls: "btn btn-danger", testid: "leave-confirm" });
  const box = h(
    "div",
    { class: "confirm-box", role: "group", "aria-label": t("leave") },
    h("p", {}, t("leaveConfirm")),
    h("div", { class: "link-row" }, yes, button(t("cancel"), { cls: "btn btn-secondary", onclick: () => box.remove() })),
  );
  yes.addEventListener("click", async () => {
    setBusy(yes, true, t("leaveYes"), t("leaving"));
    view.ctx.leaving = true; // our own PlayerLeft message must not read as "the host removed you"
    try {
      await v2.remove(view.id, view.me.playerId, view.me.token);
      forgetPlayer(view.id);
      view.navigate(`/t/${view.id}/join`, { replace: true });
    } catch (err) {
      view.ctx.leaving = false;
      setBusy(yes, false, t("leaveYes"), t("leaving"));
      view.ctx.fail(err);
    }
  });
  return box;
}

function showActions(view, state, player) {
  if (!player || isDrawn(state)) {
    view.actions.replaceChildren();
    return;
  }
  const change = () => view.ctx.leave(`/t/${view.id}/pick`);
  const leave = (event) => {
    if (!view.actions.querySelector(".confirm-box")) view.actions.append(leaveControls(view));
    event.currentTarget.blur();
  };
  view.actions.replaceChildren(
    picksClubs(state) ? button(t("changeClub"), { testid: "change-club", onclick: change }) : null,
    button(t("leave"), { cls: "btn btn-secondary", testid: "leave", onclick: leave }),
  );
}

function showDrawn(view, state, previous) {
  const text = myResultText(state, view.me);
  view.title.textContent = t(state.drawMode === "keep" ? "startedTitle" : "drawnTitle");
  view.lead.textContent = view.me ? "" : t("waitSpectator");
  view.myClub.replaceChildren(text ? h("p", { class: "highlight", "data-testid": "my-club" }, text) : "");
  view.result.replaceChildren(h("section", { class: "card result-card" }, drawTable(state, view.me), resultLinks(state)));
  if (previous && !isDrawn(previous)) announce(text || t("drawnTitle"));
}

function waitingLead(state, player) {
  if (!player) return t("waitSpectator");
  if (!picksClubs(state)) return t("waitRandom");
  return t(state.drawMode === "keep" ? "waitKeepPicked" : "waitYouPicked", { team: clubName(player.club) });
}

function showLobby(view, state) {
  const looks = clicksByPlayer(state, view.ctx.session.clicked);
  const players = state.players.length;
  view.whoTitle.textContent = picksClubs(state)
    ? t("whoPicked", { picked: state.players.filter(hasPicked).length, players })
    : t("whoIsIn", { players });
  view.list.replaceChildren(...lobbyRows(state, looks, { me: view.me, testid: "wait-row" }));
  view.lobby.hidden = isDrawn(state);
}

function render(view, state, previous) {
  const player = mine(state, view.me);
  if (player && !isDrawn(state) && picksClubs(state) && !hasPicked(player) && !previous) {
    view.ctx.leave(`/t/${view.id}/pick`); // not picked yet: the picker first
    return;
  }
  view.whoami.textContent = player ? t("playingAs", { player: fullName(player) }) : "";
  view.whoami.title = player ? fullName(player) : "";
  view.whoami.hidden = !player;
  view.rule.replaceChildren(ruleLine(state));
  if (isDrawn(state)) showDrawn(view, state, previous);
  else {
    view.title.textContent = t("waitTitle");
    view.lead.textContent = waitingLead(state, player);
    view.myClub.replaceChildren();
    view.result.replaceChildren();
  }
  showActions(view, state, player);
  showLobby(view, state);
  document.title = `${state.name} · Let Choose Teams`;
}

function waitLayout(view) {
  view.lobby.append(view.whoTitle, view.list);
  view.main.replaceChildren(
    h(
      "div",
      { "data-testid": "waiting" },
      h("section", { class: "card" }, view.title, view.whoami, view.lead, view.rule, view.actions),
      view.notice,
      view.error,
      view.myClub,
      view.result,
      view.lobby,
    ),
  );
}

export function renderWait(app, id) {
  const view = waitView(app, id);
  waitLayout(view);
  view.ctx = livePhone({
    app,
    id,
    me: view.me,
    error: view.error,
    notice: view.notice,
    render: (state, previous) => render(view, state, previous),
    onClicked: () => view.ctx.session.state && showLobby(view, view.ctx.session.state),
    onMessage: (message) => message.type === "FixturesCreated" && view.ctx.leave(`/t/${id}/fixtures`),
  });
  return () => view.ctx.stop();
}
