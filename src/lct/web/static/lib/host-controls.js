// The host's controls: rename, seats + and −, lock joining, the draw ("start with who's here"), and after the
// draw another round with the same players. Every change goes through PATCH/POST with the host token; the state
// comes back over the hub (and from the response).
import { v2 } from "./api.js";
import { addTexts, t } from "./i18n.js";
import { isDrawn, picksClubs, readyToDraw } from "./players.js";
import { rememberHosted, saveHostToken } from "./session.js";
import { announce, button, h, setBusy, setDisabled, showApiError, showError } from "./ui.js";

addTexts({
  en: {
    draw: "Draw the clubs",
    start: "Start the tournament",
    drawing: "Drawing…",
    drawNeedPlayers: "The draw needs at least 2 players.",
    drawNeedPicks: "Waiting for {n} player(s) to pick a club.",
    drawReady: "Everyone has picked. Draw when you are ready!",
    startReady: "Everyone has picked. Start when you are ready!",
    randomReady: "Draw when everyone is in: each player gets a club at random.",
    emptySeats: "{n} seat(s) still free: drawing now starts with who's here (the free seats are released).",
    drawDone: "The clubs have been drawn.",
    startDone: "The tournament has started.",
    seatsLabel: "Seats",
    seatsFewer: "One seat fewer",
    seatsMore: "One seat more",
    lock: "Lock joining",
    unlock: "Unlock joining",
    lockedNote: "Joining is locked: nobody new can join.",
    rename: "Rename",
    renameLabel: "New name",
    save: "Save",
    nextRound: "Another round with the same players",
    nextRoundMaking: "Starting the next round…",
    nextRoundHint: "A new tournament with the same players: their phones move to it by themselves.",
  },
  pl: {
    draw: "Losuj drużyny",
    start: "Rozpocznij turniej",
    drawing: "Losowanie…",
    drawNeedPlayers: "Do losowania potrzeba co najmniej 2 graczy.",
    drawNeedPicks: "Czekamy, aż drużynę wybiorą gracze: {n}.",
    drawReady: "Wszyscy wybrali. Losuj, kiedy chcesz!",
    startReady: "Wszyscy wybrali. Rozpocznij, kiedy chcesz!",
    randomReady: "Losuj, gdy wszyscy dołączą: każdy gracz dostanie losową drużynę.",
    emptySeats: "Wolne miejsca: {n}. Losowanie teraz rozpocznie turniej z tymi, którzy są (wolne miejsca zostaną zwolnione).",
    drawDone: "Drużyny zostały wylosowane.",
    startDone: "Turniej się rozpoczął.",
    seatsLabel: "Miejsca",
    seatsFewer: "O jedno miejsce mniej",
    seatsMore: "O jedno miejsce więcej",
    lock: "Zablokuj dołączanie",
    unlock: "Odblokuj dołączanie",
    lockedNote: "Dołączanie jest zablokowane: nikt nowy nie dołączy.",
    rename: "Zmień nazwę",
    renameLabel: "Nowa nazwa",
    save: "Zapisz",
    nextRound: "Kolejna runda z tymi samymi graczami",
    nextRoundMaking: "Rozpoczynanie kolejnej rundy…",
    nextRoundHint: "Nowy turniej z tymi samymi graczami: ich telefony same się do niego przeniosą.",
  },
});

const keep = (state) => state.drawMode === "keep";

/** PATCH the tournament; the controls wait for the answer, so that two quick taps make two steps, not one. */
async function change(view, changes) {
  if (view.changing) return;
  view.changing = true;
  updateControls(view, view.session.state);
  showError(view.error, "");
  try {
    view.session.accept(await v2.update(view.id, changes, view.token));
  } catch (err) {
    showApiError(view.error, err);
  } finally {
    view.changing = false;
    updateControls(view, view.session.state);
  }
}

async function draw(view) {
  if (view.drawing) return;
  view.drawing = true;
  updateControls(view, view.session.state);
  showError(view.error, "");
  try {
    const state = await v2.draw(view.id, view.token);
    view.session.accept(state);
    announce(t(keep(state) ? "startDone" : "drawDone"));
  } catch (err) {
    showApiError(view.error, err);
    view.session.refresh().catch(() => {});
  } finally {
    view.drawing = false;
    if (view.session.state) updateControls(view, view.session.state);
  }
}

async function nextRound(view, button) {
  setBusy(button, true, t("nextRound"), t("nextRoundMaking"));
  try {
    const created = await v2.nextRound(view.id, view.token);
    const next = created.tournament;
    saveHostToken(next.id, view.token); // the new tournament accepts the same host token
    rememberHosted(next.id, next.name);
    view.navigate(`/t/${next.id}/host`);
  } catch (err) {
    setBusy(button, false, t("nextRound"), t("nextRoundMaking"));
    showApiError(view.error, err);
  }
}

function drawHint(state) {
  if (isDrawn(state)) return t(keep(state) ? "startDone" : "drawDone");
  const players = state.players.length;
  if (players < 2) return t("drawNeedPlayers");
  const missing = state.players.filter((p) => !p.club).length;
  if (picksClubs(state) && missing > 0) return t("drawNeedPicks", { n: missing });
  const ready = t(!picksClubs(state) ? "randomReady" : keep(state) ? "startReady" : "drawReady");
  const free = state.seats - players;
  return free > 0 ? `${ready} ${t("emptySeats", { n: free })}` : ready;
}

/** Enable what the state allows; say what the draw is waiting for. */
export function updateControls(view, state) {
  const drawn = isDrawn(state);
  const c = view.controls;
  c.drawButton.textContent = view.drawing ? t("drawing") : t(keep(state) ? "start" : "draw");
  setDisabled(c.drawButton, view.drawing || !readyToDraw(state));
  c.drawButton.hidden = drawn;
  c.hint.textContent = drawHint(state);
  c.seatsValue.textContent = String(state.seats);
  setDisabled(c.minus, view.changing || state.seats <= Math.max(2, state.players.length));
  setDisabled(c.plus, view.changing || state.seats >= (state.maxSeats || state.seats));
  setDisabled(c.lock, Boolean(view.changing));
  c.lock.textContent = t(state.locked ? "unlock" : "lock");
  c.lock.setAttribute("aria-pressed", String(state.locked));
  c.lockedNote.hidden = !state.locked || drawn;
  c.setup.hidden = drawn;
  c.next.hidden = !drawn || Boolean(state.nextId);
}

function seatsRow(view, c) {
  const step = (delta) => change(view, { seats: view.session.state.seats + delta });
  const square = "btn btn-secondary btn-square";
  c.minus = button("−", { cls: square, testid: "seats-minus", "aria-label": t("seatsFewer"), onclick: () => step(-1) });
  c.plus = button("+", { cls: square, testid: "seats-plus", "aria-label": t("seatsMore"), onclick: () => step(1) });
  c.seatsValue = h("output", { class: "seats-value", "data-testid": "seats-value", "aria-live": "polite" });
  const label = h("span", { class: "seats-label" }, t("seatsLabel"));
  return h("div", { class: "seats-row" }, label, c.minus, c.seatsValue, c.plus);
}

/** Controls before the draw (seats, lock), the draw button with its hint, and the next round after the draw. */
export function controlsBox(view) {
  const c = {};
  view.controls = c;
  c.drawButton = button(t("draw"), {
    cls: "btn btn-block",
    testid: "draw-button",
    disabled: true,
    "aria-describedby": "draw-hint",
    onclick: () => draw(view),
  });
  c.hint = h("p", { class: "hint", id: "draw-hint", role: "status", "data-testid": "draw-hint" });
  const toggleLock = () => change(view, { locked: !view.session.state.locked });
  c.lock = button(t("lock"), { cls: "btn btn-secondary", testid: "lock-toggle", onclick: toggleLock });
  c.lockedNote = h("p", { class: "notice", "data-testid": "locked-note", hidden: true }, t("lockedNote"));
  c.setup = h("div", { class: "host-setup" }, seatsRow(view, c), c.lock);
  const nextButton = button(t("nextRound"), { cls: "btn btn-block", testid: "next-round" });
  nextButton.addEventListener("click", () => nextRound(view, nextButton));
  c.next = h("div", { class: "next-round", hidden: true }, nextButton, h("p", { class: "hint" }, t("nextRoundHint")));
  return { draw: h("div", { class: "draw-box" }, c.drawButton, c.hint, c.lockedNote), setup: c.setup, next: c.next };
}

/** The title with a rename form for the host. */
export function renameForm(view) {
  const input = h("input", { type: "text", id: "rename-input", "data-testid": "rename-input", maxlength: 100, required: true });
  const form = h(
    "form",
    { class: "rename-form", hidden: true, novalidate: true },
    h("label", { for: "rename-input" }, t("renameLabel")),
    h("div", { class: "code-row" }, input, button(t("save"), { type: "submit", testid: "rename-save" })),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name) return;
    await change(view, { name });
    form.hidden = true;
    rememberHosted(view.id, name);
  });
  const open = () => {
    form.hidden = !form.hidden;
    input.value = view.session.state?.name || "";
    if (!form.hidden) input.focus();
  };
  const opener = button(t("rename"), { cls: "btn btn-secondary btn-small", testid: "rename-button", onclick: open });
  return { button: opener, form };
}
