// A phone's seat in a tournament, kept honest: is this phone's player still in (not kicked, not left), is its
// token still valid (the host may have given the seat a new join link), and the move to the next round.
// livePhone() runs the live part of the phone screens (pick, wait) on top of TournamentSession.
import { clientSeed, hasCode, isNotFound, isUnauthorized, v2 } from "./api.js";
import { TournamentSession } from "./hub.js";
import { t } from "./i18n.js";
import { picksClubs, playerById } from "./players.js";
import { forgetPlayer, loadPlayer, savePlayer } from "./session.js";
import { button, clearTransient, h, showApiError, showNotFound } from "./ui.js";

/** "none" (no identity here), "in", "removed" (not in the state any more) or "signed-out" (token revoked). */
export async function seatStatus(id, state, me) {
  if (!me) return "none";
  const player = playerById(state, me.playerId);
  if (!player) return "removed";
  try {
    const who = await v2.me(id, me.token);
    if (who.role !== "player" || who.playerId !== me.playerId) return "signed-out";
  } catch (error) {
    if (isUnauthorized(error)) return "signed-out";
    // Cannot tell right now (network): go on; a request that needs the token will say.
  }
  if (player.name !== me.name || player.surname !== me.surname) {
    savePlayer(id, { ...me, name: player.name, surname: player.surname }); // a new join link brings no names
  }
  return "in";
}

/** Replace the screen: this phone was signed out, or its player was removed; with the way on. */
export function showGone(app, id, kind) {
  const removed = kind === "removed";
  const onclick = () => {
    forgetPlayer(id);
    app.navigate(`/t/${id}/${removed ? "join" : "wait"}`, { replace: true });
  };
  app.main.replaceChildren(
    h(
      "section",
      { class: "card", "data-testid": kind },
      h("h1", { tabindex: -1 }, t(removed ? "removedTitle" : "signedOutTitle")),
      h("p", { class: "lead" }, t(removed ? "removedText" : "signedOutText")),
      button(t(removed ? "joinAgain" : "watchOnly"), { testid: removed ? "join-again" : "watch-only", onclick }),
    ),
  );
  app.main.querySelector("h1").focus();
}

/** The screen of tournament `nextId` for this phone: its pick screen (or the lobby when nobody picks). */
function nextScreen(state) {
  return picksClubs(state) ? "pick" : "wait";
}

/**
 * Move to the next round: a player trades its token for one of the new tournament (POST …/next-round/token,
 * nothing is ever broadcast) and keeps its identity; a phone without a seat just follows.
 */
export async function moveToNextRound(app, id, nextId, me) {
  if (!me) {
    app.navigate(`/t/${nextId}/wait`);
    return;
  }
  let state;
  if (!loadPlayer(nextId)) {
    const seed = clientSeed();
    const claimed = await v2.nextRoundToken(id, me.token, seed);
    state = claimed.tournament;
    const kept = state.draw ? "" : seed; // drawn before this phone came: its seed was not taken
    const { playerId, playerToken: token } = claimed;
    savePlayer(nextId, { playerId, token, name: me.name, surname: me.surname, clientSeed: kept });
  } else {
    state = await v2.state(nextId);
  }
  app.navigate(`/t/${nextId}/${nextScreen(state)}`);
}

function nextRoundNotice(ctx, nextId) {
  const go = () => follow(ctx, nextId);
  return h(
    "div",
    { class: "notice", "data-testid": "next-round-notice" },
    h("p", {}, t("nextRoundStarted")),
    button(t("nextRoundGo"), { testid: "next-round-go", onclick: go }),
  );
}

function follow(ctx, nextId) {
  if (ctx.moving) return;
  ctx.moving = true;
  moveToNextRound(ctx.app, ctx.id, nextId, ctx.me).catch((error) => {
    ctx.moving = false;
    fail(ctx, error);
  });
}

function gone(ctx, kind) {
  if (ctx.gone) return;
  ctx.gone = true;
  ctx.session.stop();
  showGone(ctx.app, ctx.id, kind);
}

/** A failed request of a phone screen: a missing tournament, a lost seat or token, or a message. */
export function fail(ctx, error) {
  if (ctx.gone) return;
  if (isNotFound(error)) {
    ctx.gone = true;
    ctx.session.stop();
    showNotFound(ctx.app.main);
  } else if (ctx.me && isUnauthorized(error)) gone(ctx, "signed-out");
  else if (ctx.me && hasCode(error, "PlayerNotFound")) gone(ctx, "removed");
  else showApiError(ctx.error, error);
}

function onChange(ctx, state, previous) {
  if (ctx.gone || !ctx.ready || ctx.leaving) return;
  if (ctx.me && !playerById(state, ctx.me.playerId)) {
    gone(ctx, "removed");
    return;
  }
  if (state.nextId && previous && !previous.nextId) {
    follow(ctx, state.nextId); // it started while we were watching
    return;
  }
  ctx.notice?.replaceChildren(state.nextId ? nextRoundNotice(ctx, state.nextId) : "");
  ctx.render(state, previous);
}

async function onMessage(ctx, message) {
  if (ctx.gone) return;
  if (message.type === "NextRoundStarted" && message.nextTournamentId) follow(ctx, String(message.nextTournamentId));
  else if (message.type === "PlayerTokenReissued" && ctx.me && message.playerId === ctx.me.playerId) {
    const status = await seatStatus(ctx.id, ctx.session.state, ctx.me);
    if (status !== "in") gone(ctx, status);
  }
  if (!ctx.gone) ctx.onMessage?.(message);
}

async function begin(ctx) {
  let state;
  try {
    state = await ctx.session.refresh();
  } catch (error) {
    fail(ctx, error);
    if (!ctx.gone) ctx.session.start();
    return;
  }
  const status = await seatStatus(ctx.id, state, ctx.me);
  if (ctx.gone) return;
  if (status === "removed" || status === "signed-out") {
    gone(ctx, status);
    return;
  }
  if (ctx.me) ctx.me = loadPlayer(ctx.id) || ctx.me;
  ctx.ready = true;
  onChange(ctx, ctx.session.state, null);
  if (!ctx.gone && !ctx.leaving) ctx.session.start();
}

/**
 * The live part of a phone screen. `opts`: {app, id, me (or null: watching), error (its error line), notice (where
 * "the next round has started" goes), render(state, previous), onClicked(clicked), onMessage(message),
 * onConnected()}.
 * Returns the context: ctx.session, ctx.state(), ctx.fail(error), ctx.leave(path) and ctx.stop().
 */
export function livePhone(opts) {
  const ctx = { ...opts, ready: false, gone: false, leaving: false, moving: false };
  ctx.session = new TournamentSession(opts.id, {
    token: opts.me?.token,
    onChange: (state, previous) => onChange(ctx, state, previous),
    onClicked: (clicked) => !ctx.gone && ctx.ready && opts.onClicked?.(clicked),
    onMessage: (message) => onMessage(ctx, message),
    onConnected: () => {
      clearTransient(opts.error);
      if (ctx.ready && !ctx.gone) opts.onConnected?.();
    },
    onError: (error) => fail(ctx, error),
  });
  ctx.fail = (error) => fail(ctx, error);
  ctx.leave = (path) => {
    if (ctx.leaving || ctx.gone) return;
    ctx.leaving = true;
    ctx.app.navigate(path, { replace: true });
  };
  ctx.stop = () => {
    ctx.gone = true; // nothing renders into the next screen
    ctx.session.stop();
  };
  begin(ctx);
  return ctx;
}
