// Screen "/t/{id}/pick": a player picks a club (or changes their pick until the draw); everyone sees live who is
// looking at which club. A big list is grouped by country and searchable.
import { hasCode, v2 } from "../lib/api.js";
import { groupName } from "../lib/groups.js";
import { addTexts, t } from "../lib/i18n.js";
import { ruleLine } from "../lib/lobby.js";
import { livePhone } from "../lib/phone.js";
import { clicksByPlayer, clubName, fullName, isDrawn, mine, picksClubs, playerById } from "../lib/players.js";
import { loadPlayer } from "../lib/session.js";
import { announce, errorLine, h, setDisabled, showError } from "../lib/ui.js";

addTexts({
  en: {
    pickTitle: "Pick your club",
    pickIntro: "Tap a club, then confirm. The others see what you are looking at.",
    playingAs: "Playing as {player}",
    takenBy: "Taken by {player}",
    yourClub: "Your club",
    yourChoice: "Your choice",
    looking: "Looking: {players}",
    confirm: "Confirm {team}",
    keep: "Keep {team}",
    confirmNone: "Choose a club first",
    confirming: "Saving…",
    chosenAnnounce: "You chose {team}. Confirm to keep it.",
    lostChoice: "{player} has just taken {team}. Please pick another club.",
    search: "Find a club or country",
    noMatch: "No club matches “{text}”.",
  },
  pl: {
    pickTitle: "Wybierz drużynę",
    pickIntro: "Dotknij drużyny i potwierdź. Inni widzą, na co patrzysz.",
    playingAs: "Grasz jako {player}",
    takenBy: "Wybrana przez: {player}",
    yourClub: "Twoja drużyna",
    yourChoice: "Twój wybór",
    looking: "Patrzy: {players}",
    confirm: "Potwierdź: {team}",
    keep: "Zostaw: {team}",
    confirmNone: "Najpierw wybierz drużynę",
    confirming: "Zapisywanie…",
    chosenAnnounce: "Wybrano {team}. Potwierdź, aby zachować wybór.",
    lostChoice: "{player} właśnie wybrał(a) {team}. Wybierz inną drużynę.",
    search: "Szukaj drużyny lub kraju",
    noMatch: "Żadna drużyna nie pasuje do „{text}”.",
  },
});

const SEARCH_FROM = 13; // a list longer than this gets a search box

function pickView(app, id, me) {
  const view = {
    ...app,
    id,
    me,
    error: errorLine({ assertive: true }),
    notice: h("div", {}),
    whoami: h("p", { class: "whoami clip", "data-testid": "whoami" }),
    rule: h("div", {}),
    grid: h("div", { class: "club-groups", role: "group", "aria-labelledby": "pick-title" }),
    noMatch: h("p", { class: "hint", role: "status", "data-testid": "club-no-match" }),
    tiles: [],
    choice: null,
    confirming: false,
  };
  view.search = h("input", {
    type: "search",
    id: "club-search",
    "data-testid": "club-search",
    autocomplete: "off",
    "aria-controls": "club-groups",
    oninput: () => filterTiles(view),
  });
  const label = h("label", { for: "club-search" }, t("search"));
  view.searchBox = h("div", { class: "field search", hidden: true }, label, view.search);
  view.confirm = h(
    "button",
    { type: "button", class: "btn btn-block", "data-testid": "club-confirm", disabled: true, onclick: () => confirmChoice(view) },
    t("confirmNone"),
  );
  return view;
}

// ---------------------------------------------------------------- tiles

function tile(view, club, index) {
  const status = h("span", { class: "club-status" });
  const looking = h("span", { class: "club-looking" });
  const shown = clubName(club.name);
  const button = h(
    "button",
    {
      type: "button",
      class: "club",
      "data-testid": `club-${index}`,
      "data-team": club.name,
      "aria-pressed": "false",
      onclick: () => onTile(view, index),
    },
    h("span", { class: "club-name", title: shown }, shown),
    status,
    looking,
  );
  const key = searchKey(`${shown} ${club.group} ${groupName(club.group)}`);
  return { button, status, looking, club, index, key };
}

const searchKey = (text) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .toLowerCase();

/** Tiles in catalogue order (club-<index> is the index in the catalogue), under a heading per group. */
function buildTiles(view, clubs) {
  view.tiles = clubs.map((club, index) => tile(view, club, index));
  const groups = new Map();
  for (const item of view.tiles) {
    if (!groups.has(item.club.group)) groups.set(item.club.group, []);
    groups.get(item.club.group).push(item);
  }
  view.sections = [...groups].map(([group, items]) => {
    const grid = h("div", { class: "clubs" }, items.map((x) => x.button));
    const heading = group ? h("h2", { class: "group-title" }, groupName(group)) : null;
    return { items, element: h("section", { class: "club-group", "data-group": group || null }, heading, grid) };
  });
  view.grid.id = "club-groups";
  view.grid.replaceChildren(...view.sections.map((s) => s.element), view.noMatch);
  view.searchBox.hidden = clubs.length < SEARCH_FROM;
}

function filterTiles(view) {
  const text = view.search.value.trim();
  const wanted = searchKey(text);
  let shown = 0;
  for (const section of view.sections || []) {
    let inSection = 0;
    for (const item of section.items) {
      const match = !wanted || item.key.includes(wanted);
      item.button.hidden = !match;
      inSection += match ? 1 : 0;
    }
    section.element.hidden = inSection === 0;
    shown += inSection;
  }
  view.noMatch.textContent = shown === 0 && text ? t("noMatch", { text }) : "";
}

/** The others looking at each club right now (this phone's own clicks are not shown to it). */
function lookersByClub(view, state) {
  const looks = clicksByPlayer(state, view.ctx.session.clicked);
  const byClub = new Map();
  for (const [playerId, club] of looks) {
    if (playerId === view.me.playerId) continue;
    const player = playerById(state, playerId);
    if (!byClub.has(club)) byClub.set(club, []);
    byClub.get(club).push(fullName(player));
  }
  return byClub;
}

function renderTile(view, state, item, lookers) {
  const { button, status, looking, club } = item;
  const holder = club.pickedBy ? playerById(state, club.pickedBy) : null;
  const own = club.pickedBy === view.me.playerId;
  const taken = Boolean(club.pickedBy) && !own;
  const names = taken ? [] : lookers.get(club.name) || [];
  setDisabled(button, taken || view.confirming);
  button.setAttribute("aria-pressed", String(view.choice === club.name || (!view.choice && own)));
  button.setAttribute("data-clicked-by", names.join(", "));
  button.classList.toggle("looked-at", names.length > 0);
  button.classList.toggle("taken", taken);
  button.classList.toggle("own", own);
  if (taken) status.textContent = t("takenBy", { player: holder ? fullName(holder) : "…" });
  else if (view.choice === club.name) status.textContent = t("yourChoice");
  else status.textContent = own ? t("yourClub") : "";
  looking.textContent = names.length ? t("looking", { players: names.join(", ") }) : "";
}

function renderConfirm(view, state) {
  const current = mine(state, view.me)?.club || null;
  if (view.confirming) {
    view.confirm.textContent = t("confirming");
    setDisabled(view.confirm, true);
    return;
  }
  const team = view.choice || current;
  const changing = view.choice && view.choice !== current;
  view.confirm.textContent = team ? t(changing ? "confirm" : "keep", { team: clubName(team) }) : t("confirmNone");
  setDisabled(view.confirm, !team);
}

function renderTiles(view) {
  const state = view.ctx.session.state;
  if (!state) return;
  if (view.tiles.length !== state.clubs.length) buildTiles(view, state.clubs);
  const lookers = lookersByClub(view, state);
  view.tiles.forEach((item) => {
    item.club = state.clubs[item.index];
    renderTile(view, state, item, lookers);
  });
  renderConfirm(view, state);
}

// ---------------------------------------------------------------- state and actions

function render(view, state) {
  const player = mine(state, view.me);
  if (!picksClubs(state) || isDrawn(state)) {
    view.ctx.leave(`/t/${view.id}/wait`);
    return;
  }
  view.whoami.textContent = t("playingAs", { player: fullName(player) });
  view.whoami.title = fullName(player);
  view.rule.replaceChildren(ruleLine(state));
  const lost = view.choice && state.clubs.find((c) => c.name === view.choice && c.pickedBy && c.pickedBy !== view.me.playerId);
  if (lost && !view.confirming) {
    const holder = playerById(state, lost.pickedBy);
    showError(view.error, t("lostChoice", { player: holder ? fullName(holder) : "…", team: clubName(lost.name) }));
    view.choice = null;
  }
  renderTiles(view);
}

function sendClick(view, team) {
  const { name, surname } = view.me;
  view.ctx.session.hub.send("TeamClicked", { groupKey: view.id, team, name, surname });
}

function onTile(view, index) {
  const item = view.tiles[index];
  if (!item || view.confirming || item.button.disabled) return;
  view.choice = item.club.name;
  showError(view.error, "");
  sendClick(view, item.club.name);
  announce(t("chosenAnnounce", { team: clubName(item.club.name) }));
  renderTiles(view);
}

async function confirmChoice(view) {
  const state = view.ctx.session.state;
  const current = state ? mine(state, view.me)?.club : null;
  const team = view.choice || current;
  if (!team || view.confirming) return;
  if (team === current) {
    view.ctx.leave(`/t/${view.id}/wait`);
    return;
  }
  view.confirming = true;
  showError(view.error, "");
  renderTiles(view);
  try {
    await v2.pick(view.id, view.me.playerId, team, view.me.token);
    view.ctx.leave(`/t/${view.id}/wait`);
  } catch (err) {
    view.confirming = false;
    if (hasCode(err, "AlreadyDrawn") || hasCode(err, "NoPicking")) view.ctx.leave(`/t/${view.id}/wait`);
    if (hasCode(err, "TeamAlreadySelected")) view.choice = null;
    view.ctx.fail(err);
    await view.ctx.session.refresh().catch(() => {});
    renderTiles(view);
  }
}

function pickLayout(view) {
  view.main.replaceChildren(
    h(
      "section",
      { class: "card" },
      h("h1", { id: "pick-title", tabindex: -1 }, t("pickTitle")),
      view.whoami,
      h("p", { class: "lead" }, t("pickIntro")),
      view.rule,
    ),
    view.notice,
    view.error,
    view.searchBox,
    view.grid,
    h("div", { class: "sticky-actions" }, view.confirm),
  );
  view.grid.append(h("p", { class: "loading" }, t("loading")));
}

export function renderPick(app, id) {
  const me = loadPlayer(id);
  if (!me) {
    app.navigate(`/t/${id}/join`, { replace: true });
    return () => {};
  }
  const view = pickView(app, id, me);
  pickLayout(view);
  view.ctx = livePhone({
    app,
    id,
    me,
    error: view.error,
    notice: view.notice,
    render: (state) => render(view, state),
    onClicked: () => renderTiles(view),
    onConnected: () => view.choice && sendClick(view, view.choice), // the others see it again after a reconnect
  });
  return () => view.ctx.stop();
}
