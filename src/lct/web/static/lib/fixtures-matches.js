// The match rows of the fixtures screen: teams and score, the score form for the two players of a match and the
// host (entering and correcting), the host's lock, and the history of every change (who, when, what).
import { lockScore, putScore } from "./fixtures-api.js";
import { announce, fullName, h } from "./fixtures-dom.js";
import { errorText, getLang, t } from "./fixtures-texts.js";
import { isBye, matchLabel, penaltiesText, scoreText, sideView, winnerId } from "./fixtures-view.js";

// ctx: {tournamentId, source, token, hostToken, me (player or null), editing: Set of match ids, names: Map}

const myId = (ctx) => ctx.me?.playerId || null;

export function plays(match, playerId) {
  return !!playerId && (match.home?.playerId === playerId || match.away?.playerId === playerId);
}

/** The host, or one of the two players of a match both of whose players are known, while it is not locked. */
export function canScore(ctx, fixtures, match) {
  if (!ctx.token || match.locked || !match.home || !match.away || isBye(match, fixtures.format)) return false;
  return !!ctx.hostToken || plays(match, myId(ctx));
}

function canLock(ctx, match) {
  return !!ctx.hostToken && !!match.score && !match.locked;
}

function rowState(fixtures, match) {
  if (isBye(match, fixtures.format)) return "bye";
  if (match.locked) return "locked";
  if (match.score) return "scored";
  if (match.id === fixtures.next) return "next";
  return match.home && match.away ? "ready" : "waiting";
}

/** Everything a row shows: the row is rebuilt only when this changes. */
export function rowKey(ctx, fixtures, match) {
  const flags = [canScore(ctx, fixtures, match), canLock(ctx, match), ctx.editing.has(match.id)];
  return JSON.stringify([getLang(), rowState(fixtures, match), match, flags, myId(ctx)]);
}

// ---------------------------------------------------------------- the form

function goalsInput(match, key, correcting) {
  return h("input", {
    type: "number",
    inputmode: "numeric",
    min: 0,
    max: 99,
    step: 1,
    class: "fx-goals",
    id: `fx-${match.id}-${key}`,
    "data-testid": `score-${key}`,
    value: correcting ? match.score[key] : null,
    "aria-label": t("fx_goalsOf", { player: fullName(match[key]) }),
  });
}

function penaltiesChoice(match, correcting) {
  const chosen = correcting ? match.score.penaltiesWinner : null;
  const option = (key) =>
    h(
      "label",
      { class: "fx-choice" },
      h("input", { type: "radio", name: `fx-pens-${match.id}`, value: key, checked: chosen === key, "data-testid": `score-penalties-${key}` }),
      h("span", {}, fullName(match[key])),
    );
  return h(
    "fieldset",
    { class: "fx-pens", "data-testid": "score-penalties", hidden: true },
    h("legend", {}, t("fx_penaltiesWonBy")),
    option("home"),
    option("away"),
  );
}

/** {body} to send, or {problem: text key, field} when the form cannot be sent as it is. */
function readScore(form, format) {
  const home = form.querySelector("[data-testid=score-home]");
  const away = form.querySelector("[data-testid=score-away]");
  for (const input of [home, away]) {
    if (!/^\d{1,2}$/.test(input.value.trim())) return { problem: "fx_err_goals", field: input };
  }
  const body = { home: Number(home.value), away: Number(away.value) };
  if (format === "knockout" && body.home === body.away) {
    const chosen = form.querySelector("[data-testid=score-penalties] input:checked");
    if (!chosen) return { problem: "fx_err_penalties", field: form.querySelector("[data-testid=score-penalties] input") };
    body.penaltiesWinner = chosen.value;
  }
  return { body };
}

async function submitScore(ctx, fixtures, match, form, error) {
  const read = readScore(form, fixtures.format);
  if (read.problem) {
    error.textContent = t(read.problem);
    read.field.focus();
    return;
  }
  const button = form.querySelector("[data-testid=score-submit]");
  const idle = button.textContent;
  button.disabled = true;
  button.textContent = t("fx_saving");
  error.textContent = "";
  try {
    const fresh = await putScore(ctx.tournamentId, ctx.token, match.id, read.body);
    ctx.editing.delete(match.id);
    ctx.source.acceptFixtures(fresh);
    announce(t("fx_saved", { home: fullName(match.home), away: fullName(match.away), score: scoreText(read.body) }));
  } catch (failure) {
    error.textContent = errorText(failure, "score");
    button.disabled = false;
    button.textContent = idle;
  }
}

function formLine(ctx, fixtures, match, key, input) {
  const side = sideView(fixtures, match, key, { me: myId(ctx) });
  return h("div", { class: "fx-line" }, h("label", { for: input.id, class: "fx-line-label" }, side), input);
}

function scoreForm(ctx, fixtures, match, error) {
  const correcting = !!match.score;
  const home = goalsInput(match, "home", correcting);
  const away = goalsInput(match, "away", correcting);
  const pens = penaltiesChoice(match, correcting);
  const submit = h("button", { type: "submit", class: "btn", "data-testid": "score-submit" }, t(correcting ? "fx_saveCorrection" : "fx_saveScore"));
  const form = h(
    "form",
    { class: "fx-score-form", "data-testid": "score-form", novalidate: true, "aria-label": t("fx_scoreOf", { match: matchLabel(fixtures, match) }) },
    h("div", { class: "fx-lines" }, formLine(ctx, fixtures, match, "home", home), formLine(ctx, fixtures, match, "away", away)),
    pens,
    h("div", { class: "fx-actions" }, submit, correcting ? cancelButton(ctx, match) : null),
  );
  const level = () => fixtures.format === "knockout" && home.value.trim() !== "" && home.value.trim() === away.value.trim();
  const update = () => {
    pens.hidden = !level();
  };
  form.addEventListener("input", update);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitScore(ctx, fixtures, match, form, error);
  });
  update();
  return form;
}

function cancelButton(ctx, match) {
  return h("button", {
    type: "button",
    class: "btn btn-secondary",
    "data-testid": "score-cancel",
    text: t("fx_cancel"),
    onclick: () => {
      ctx.editing.delete(match.id);
      ctx.rerender();
    },
  });
}

// ---------------------------------------------------------------- the row

async function lock(ctx, match, button, error) {
  button.disabled = true;
  error.textContent = "";
  try {
    ctx.source.acceptFixtures(await lockScore(ctx.tournamentId, ctx.token, match.id));
    announce(t("fx_lockedAnnounce"));
  } catch (failure) {
    error.textContent = errorText(failure, "lock");
    button.disabled = false;
  }
}

function actions(ctx, fixtures, match, error) {
  const edit = canScore(ctx, fixtures, match) && match.score;
  const buttons = [
    edit
      ? h("button", {
          type: "button",
          class: "btn btn-secondary fx-small",
          "data-testid": "score-edit",
          text: t("fx_correct"),
          onclick: () => {
            ctx.editing.add(match.id);
            ctx.rerender();
            document.querySelector(`[data-match-id="${match.id}"] [data-testid=score-home]`)?.focus();
          },
        })
      : null,
    canLock(ctx, match) ? h("button", { type: "button", class: "btn btn-secondary fx-small", "data-testid": "score-lock", text: t("fx_lock"), onclick: (e) => lock(ctx, match, e.currentTarget, error) }) : null,
  ].filter(Boolean);
  return buttons.length ? h("div", { class: "fx-actions" }, buttons) : null;
}

function displayLine(ctx, fixtures, match, key) {
  const won = winnerId(match, fixtures.format);
  const side = match[key];
  const pens = match.score?.penaltiesWinner === key ? h("span", { class: "fx-pens-mark", title: t("fx_penalties") }, t("fx_pensShort")) : null;
  return h(
    "div",
    { class: side && won === side.playerId ? "fx-line fx-won" : "fx-line" },
    sideView(fixtures, match, key, { me: myId(ctx) }),
    h("span", { class: "fx-goals-shown", "data-testid": `goals-${key}` }, match.score ? String(match.score[key]) : "", pens),
  );
}

function display(ctx, fixtures, match) {
  return [
    h(
      "div",
      { class: winnerId(match, fixtures.format) ? "fx-lines fx-decided" : "fx-lines" },
      displayLine(ctx, fixtures, match, "home"),
      displayLine(ctx, fixtures, match, "away"),
    ),
    penaltiesText(match) ? h("p", { class: "fx-pens-note" }, penaltiesText(match)) : null,
  ];
}

function who(ctx, by) {
  if (by === "host") return t("fx_byHost");
  if (by === "anyone") return t("fx_byAnyone");
  return ctx.names.get(by) || t("fx_byPlayer");
}

function when(at) {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  const locale = getLang() === "pl" ? "pl-PL" : "en-GB";
  const sameDay = date.toDateString() === new Date().toDateString();
  const options = sameDay ? { timeStyle: "medium" } : { dateStyle: "short", timeStyle: "short" };
  return h("time", { datetime: at }, date.toLocaleString(locale, options));
}

function historyEntry(ctx, match, change) {
  const score = change.score ? scoreText(change.score) : "";
  const pens = change.score?.penaltiesWinner ? ` ${t("fx_pensBy", { player: fullName(match[change.score.penaltiesWinner]) })}` : "";
  const what = t(`fx_history_${change.action}`, { score: score + pens });
  return h("li", { "data-testid": "history-entry", "data-action": change.action, "data-by": change.by }, when(change.at), " · ", h("strong", {}, who(ctx, change.by)), `: ${what}`);
}

function history(ctx, match, wasOpen) {
  if (!match.history?.length) return null;
  return h(
    "details",
    { class: "fx-history", "data-testid": "match-history", open: wasOpen },
    h("summary", {}, t("fx_history", { n: match.history.length })),
    h("ol", {}, match.history.map((change) => historyEntry(ctx, match, change))),
  );
}

/** One match: data-testid="match-row", data-match-id; `previous` is the row it replaces (keeps History open). */
export function matchRow(ctx, fixtures, match, previous = null) {
  const state = rowState(fixtures, match);
  const error = h("p", { class: "error", role: "alert", "data-testid": "score-error" });
  const editing = canScore(ctx, fixtures, match) && (!match.score || ctx.editing.has(match.id));
  const badges = [
    state === "next" ? h("span", { class: "fx-badge fx-badge-next" }, t("fx_nextBadge")) : null,
    match.locked ? h("span", { class: "fx-badge", "data-testid": "match-locked" }, t("fx_lockedBadge")) : null,
    plays(match, myId(ctx)) ? h("span", { class: "fx-badge fx-badge-you" }, t("fx_youBadge")) : null,
  ];
  return h(
    "li",
    { class: `fx-match fx-m-${state}`, "data-testid": "match-row", "data-match-id": match.id, "data-state": state },
    h("div", { class: "fx-match-head" }, h("span", { class: "fx-match-label" }, matchLabel(fixtures, match)), badges),
    editing ? scoreForm(ctx, fixtures, match, error) : display(ctx, fixtures, match),
    error,
    editing ? null : actions(ctx, fixtures, match, error),
    history(ctx, match, !!previous?.querySelector("details[open]")),
  );
}

/** Typed goals and the penalties choice survive a rebuild of the same form (a hub update while typing);
 * `active` is the element that had the focus before `previous` left the document. */
export function carryInput(previous, fresh, active) {
  for (const old of previous.querySelectorAll("input")) {
    const twin = fresh.querySelector(`input[data-testid="${old.dataset.testid}"]`);
    if (!twin) continue;
    if (old.type === "radio") {
      if (old.checked !== old.defaultChecked) twin.checked = old.checked;
    } else if (old.value !== old.defaultValue) twin.value = old.value;
    if (old === active) twin.focus();
  }
  fresh.querySelector("form")?.dispatchEvent(new Event("input"));
}
