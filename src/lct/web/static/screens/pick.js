// Screen "/t/{id}/pick": a player picks a club; everyone sees live who is looking at which club.
import { api, errorText, getTeams, hasCode } from "../lib/api.js";
import { TournamentSession } from "../lib/hub.js";
import { t } from "../lib/i18n.js";
import { fullName, hasPicked, isDrawn, samePlayer } from "../lib/players.js";
import { forgetIdentity, loadIdentity } from "../lib/session.js";
import { announce, errorLine, h, setDisabled, showError } from "../lib/ui.js";
import { goLive, showFailure } from "./shared.js";

function pickView(app, id, me) {
  const view = {
    ...app,
    id,
    me,
    error: errorLine({ assertive: true }),
    grid: h("div", { class: "clubs", role: "group", "aria-labelledby": "pick-title" }),
    teams: null, // [{name, selected}] in catalogue order
    tiles: [],
    choice: null,
    confirming: false,
    leaving: false,
  };
  view.confirm = h(
    "button",
    { type: "button", class: "btn btn-block", "data-testid": "club-confirm", disabled: true, onclick: () => confirmChoice(view) },
    t("confirmNone"),
  );
  return view;
}

function pickSession(view) {
  return new TournamentSession(view.id, {
    onChange: (state, message) => onChange(view, state, message),
    onClicked: () => renderTiles(view),
    onConnected: () => {
      loadTeams(view);
      if (view.choice) sendClick(view, view.choice);
    },
    onError: (err) => showError(view.error, errorText(err)),
  });
}

function leave(view, path) {
  if (view.leaving) return;
  view.leaving = true;
  view.navigate(path, { replace: true });
}

function onChange(view, state, message) {
  const mine = state.players.find((p) => samePlayer(p, view.me));
  if (!mine) {
    if (message.type === "Refresh") {
      forgetIdentity(view.id);
      leave(view, `/t/${view.id}/join`);
    }
    return;
  }
  if (hasPicked(mine) || isDrawn(state)) {
    leave(view, `/t/${view.id}/wait`);
    return;
  }
  if (message.type === "TeamSelected" && view.choice === message.team && !view.confirming) {
    view.choice = null;
    const player = `${message.playerName} ${message.playerSurname}`;
    showError(view.error, t("lostChoice", { player, team: message.team }));
  }
  renderTiles(view);
}

async function loadTeams(view) {
  try {
    const fresh = await getTeams(view.id);
    if (!Array.isArray(fresh)) return;
    view.teams = fresh;
    if (view.tiles.length !== view.teams.length) buildTiles(view);
    renderTiles(view);
  } catch (err) {
    showFailure(view.main, view.error, err);
  }
}

function tile(view, team, index) {
  const status = h("span", { class: "club-status" });
  const looking = h("span", { class: "club-looking" });
  const button = h(
    "button",
    { type: "button", class: "club", "data-testid": `club-${index}`, "data-team": team.name, "aria-pressed": "false", onclick: () => onTile(view, index) },
    h("span", { class: "club-name" }, team.name),
    status,
    looking,
  );
  return { button, status, looking };
}

function buildTiles(view) {
  view.tiles = view.teams.map((team, index) => tile(view, team, index));
  view.grid.replaceChildren(...view.tiles.map((x) => x.button));
}

/** Who else is looking at `teamName` and has not picked yet. */
function lookersAt(view, teamName) {
  const players = view.session.state?.players || [];
  const stillLooking = (entry) => {
    if (samePlayer(entry, view.me)) return false;
    const player = players.find((p) => samePlayer(p, entry));
    return !player || !hasPicked(player);
  };
  return view.session.clicked.filter((c) => c.team === teamName && stillLooking(c)).map(fullName);
}

function tileStatus(view, team, owner, taken) {
  if (taken) return owner ? t("takenBy", { player: fullName(owner) }) : t("taken");
  return view.choice === team.name ? t("yourChoice") : "";
}

function renderTile(view, team, { button, status, looking }) {
  const owner = view.session.state?.players.find((p) => p.selectedTeam === team.name) || null;
  const taken = team.selected || Boolean(owner);
  if (taken && view.choice === team.name && !view.confirming) view.choice = null;
  const lookers = lookersAt(view, team.name);
  setDisabled(button, taken || view.confirming);
  button.setAttribute("aria-pressed", String(view.choice === team.name));
  button.setAttribute("data-clicked-by", lookers.join(", "));
  button.classList.toggle("looked-at", lookers.length > 0 && !taken);
  button.classList.toggle("taken", taken);
  status.textContent = tileStatus(view, team, owner, taken);
  looking.textContent = lookers.length && !taken ? t("lookingAt", { players: lookers.join(", ") }) : "";
}

function renderConfirm(view) {
  if (view.confirming) {
    view.confirm.textContent = t("confirming");
    setDisabled(view.confirm, true);
  } else {
    view.confirm.textContent = view.choice ? t("confirm", { team: view.choice }) : t("confirmNone");
    setDisabled(view.confirm, !view.choice);
  }
}

function renderTiles(view) {
  if (!view.teams) return;
  view.teams.forEach((team, index) => renderTile(view, team, view.tiles[index]));
  renderConfirm(view);
}

function sendClick(view, team) {
  const { name, surname } = view.me;
  view.session.hub.send("TeamClicked", { groupKey: view.id, team, name, surname });
}

function onTile(view, index) {
  const team = view.teams?.[index];
  if (!team || view.confirming || view.tiles[index].button.disabled) return;
  view.choice = team.name;
  showError(view.error, "");
  sendClick(view, team.name);
  announce(t("chosenAnnounce", { team: team.name }));
  renderTiles(view);
}

async function confirmFailed(view, err) {
  view.confirming = false;
  if (hasCode(err, "PlayerSelectedTeamBefore")) {
    leave(view, `/t/${view.id}/wait`);
    return;
  }
  if (hasCode(err, "PlayerNotInTournament")) forgetIdentity(view.id);
  if (hasCode(err, "TeamAlreadySelected")) view.choice = null;
  showError(view.error, errorText(err));
  await Promise.allSettled([loadTeams(view), view.session.refresh()]);
  renderTiles(view);
}

async function confirmChoice(view) {
  if (!view.choice || view.confirming) return;
  view.confirming = true;
  showError(view.error, "");
  renderTiles(view);
  const body = { playerName: view.me.name, playerSurname: view.me.surname, tournamentId: view.id, team: view.choice };
  try {
    await api("POST", "/api/Team/select", body);
    leave(view, `/t/${view.id}/wait`);
  } catch (err) {
    await confirmFailed(view, err);
  }
}

function pickLayout(view) {
  view.main.replaceChildren(
    h(
      "section",
      { class: "card" },
      h("h1", { id: "pick-title", tabindex: -1 }, t("pickTitle")),
      h("p", { class: "whoami", "data-testid": "whoami" }, t("playingAs", { player: fullName(view.me) })),
      h("p", { class: "lead" }, t("pickIntro")),
    ),
    view.error,
    view.grid,
    h("div", { class: "sticky-actions" }, view.confirm),
  );
  view.grid.append(h("p", { class: "loading" }, t("loading")));
}

export function renderPick(app, id) {
  const me = loadIdentity(id);
  if (!me) {
    app.navigate(`/t/${id}/join`, { replace: true });
    return () => {};
  }
  const view = pickView(app, id, me);
  const session = pickSession(view);
  view.session = session;
  pickLayout(view);
  const start = () => {
    loadTeams(view);
    session.start();
  };
  goLive({ main: view.main, session, error: view.error, start, leaving: () => view.leaving });
  return () => session.stop();
}
