// /t/<id>/fixtures: after the draw, the host chooses league or knockout; then everyone sees the next match, the
// table or the bracket and every match, live. The two players of a match (and the host) enter and correct its
// score in its row; the host locks scores. A phone that plays sees its own upcoming matches first.
import { fullName, h, place, useStylesheet } from "../lib/fixtures-dom.js";
import { carryInput, matchRow, plays, rowKey } from "../lib/fixtures-matches.js";
import { mountFixturesPanel } from "../lib/fixtures-panel.js";
import { setupCard } from "../lib/fixtures-setup.js";
import { FixturesSource } from "../lib/fixtures-live.js";
import { isBye } from "../lib/fixtures-view.js";
import { getLang, t } from "../lib/fixtures-texts.js";
import { url } from "../lib/paths.js";
import { moveToNextRound } from "../lib/phone.js";
import { loadHostToken, loadPlayer, saveHostToken } from "../lib/session.js";

function section(testid, title) {
  const list = h("ol", { class: "fx-matches" });
  const box = h("section", { class: "card", "data-testid": testid, hidden: true }, h("h2", {}, title), list);
  return { box, list, title: box.querySelector("h2") };
}

function layout(main, ctx) {
  const view = {
    title: h("h1", { tabindex: "-1", "data-testid": "fixtures-title" }, t("fx_title")),
    who: h("p", { class: "fx-who-line", "data-testid": "fixtures-whoami" }),
    setup: h("div", {}),
    top: h("div", {}),
    mine: section("my-matches", t("fx_yourMatches")),
    table: h("div", {}),
    all: section("all-matches", t("fx_allMatches")),
    replace: h("div", {}),
    rows: new Map(),
  };
  const links = h(
    "nav",
    { class: "fx-links", "aria-label": t("fx_more") },
    h("a", { href: url(`/t/${ctx.tournamentId}/verify`), "data-link": true, "data-testid": "verify-link" }, t("fx_checkDraw")),
    ctx.hostToken ? h("a", { href: url(`/t/${ctx.tournamentId}/tv`), "data-testid": "tv-link" }, t("fx_openTv")) : null,
  );
  main.replaceChildren(view.title, view.who, view.top, view.setup, view.mine.box, view.table, view.all.box, view.replace, links);
  return view;
}

function whoLine(ctx) {
  if (ctx.hostToken) return t("fx_youHost");
  return ctx.me ? t("fx_playingAs", { player: fullName(ctx.me) }) : t("fx_watching");
}

/** The host's format card: before the fixtures, and (folded) while no match has a score yet. */
function updateSetup(view, ctx, tournament, fixtures) {
  const players = tournament.draw ? tournament.draw.length : 0;
  const pristine = fixtures && fixtures.matches.every((m) => !m.score && !(m.history || []).length);
  const wantSetup = !!ctx.hostToken && !!tournament.draw && !fixtures;
  const wantReplace = !!ctx.hostToken && !!pristine;
  const shape = fixtures ? `${fixtures.format}|${fixtures.legs}|${fixtures.matches.length}` : "";
  const key = `${getLang()}|${players}|${wantSetup}|${wantReplace}|${shape}`; // a replacement folds the card
  view.top.classList.toggle("fx-has-setup", wantSetup); // the host does not wait for the host
  if (view.setupKey === key) return;
  view.setupKey = key;
  const onCreated = (created) => ctx.source.acceptFixtures(created);
  const card = (replacing) => setupCard({ tournamentId: ctx.tournamentId, token: ctx.hostToken, players, replacing, onCreated });
  view.setup.replaceChildren(wantSetup ? card(false) : "");
  view.replace.replaceChildren(
    wantReplace ? h("details", { class: "card fx-replace", "data-testid": "fixtures-replace" }, h("summary", {}, t("fx_replaceTitle")), card(true)) : "",
  );
}

function rowFor(view, ctx, fixtures, match) {
  const key = rowKey(ctx, fixtures, match);
  const previous = view.rows.get(match.id);
  if (previous && previous.dataset.key === key) return previous;
  const fresh = matchRow(ctx, fixtures, match, previous);
  fresh.dataset.key = key;
  if (previous) {
    const active = document.activeElement;
    if (previous.parentNode) previous.replaceWith(fresh);
    carryInput(previous, fresh, active);
  }
  view.rows.set(match.id, fresh);
  return fresh;
}

/** Own upcoming matches first (a playing phone), then all the others in console order. */
function updateMatches(view, ctx, fixtures) {
  const all = fixtures ? [...fixtures.matches].sort((a, b) => a.order - b.order) : [];
  const matches = all.filter((m) => !isBye(m, fixtures.format)); // byes are shown in the bracket
  const me = ctx.me?.playerId;
  const upcoming = (m) => plays(m, me) && m.home && m.away && !m.score;
  const mine = matches.filter(upcoming);
  const others = matches.filter((m) => !upcoming(m));
  place(view.mine.list, mine.map((m) => rowFor(view, ctx, fixtures, m)));
  place(view.all.list, others.map((m) => rowFor(view, ctx, fixtures, m)));
  view.mine.box.hidden = mine.length === 0;
  view.all.box.hidden = others.length === 0;
  view.all.title.textContent = t(mine.length ? "fx_otherMatches" : "fx_allMatches");
}

function update(view, ctx) {
  const { tournament, fixtures } = ctx.source;
  if (!tournament) return;
  ctx.names = new Map((tournament.draw || tournament.players || []).map((p) => [p.playerId || p.id, fullName(p)]));
  view.title.textContent = tournament.name;
  document.title = `${tournament.name} · ${t("fx_title")}`;
  view.who.textContent = whoLine(ctx);
  updateSetup(view, ctx, tournament, fixtures);
  updateMatches(view, ctx, fixtures);
}

/** When the host starts another round while this screen is open, it moves there too: a player with its own new token, the host
 * (whose token the next round accepts) to the new host page, anyone else to the new lobby. */
function followNextRound(app, ctx) {
  const tournament = ctx.source.tournament;
  if (!tournament) return;
  if (ctx.startedWith === undefined) ctx.startedWith = tournament.nextId || null; // an old round stays browsable
  const nextId = tournament.nextId;
  if (!nextId || nextId === ctx.startedWith || ctx.moving) return;
  ctx.moving = true;
  if (ctx.hostToken) {
    saveHostToken(nextId, ctx.hostToken);
    app.navigate(`/t/${nextId}/host`);
    return;
  }
  moveToNextRound(app, ctx.tournamentId, nextId, ctx.me).catch(() => {
    ctx.moving = false;
  });
}

export function renderFixtures(app, id) {
  useStylesheet("/static/fixtures.css");
  const hostToken = loadHostToken(id);
  const me = loadPlayer(id);
  const source = new FixturesSource(id, { token: me?.token || null });
  const ctx = { tournamentId: id, source, hostToken, me, token: hostToken || me?.token || null, editing: new Set(), names: new Map() };
  const view = layout(app.main, ctx);
  ctx.rerender = () => update(view, ctx);
  const playerId = me?.playerId || null;
  const panels = [
    mountFixturesPanel(view.top, { tournamentId: id, source, playerId, parts: ["status", "champion", "next"] }),
    mountFixturesPanel(view.table, { tournamentId: id, source, playerId, parts: ["table"] }),
  ];
  const unsubscribe = source.subscribe(() => {
    ctx.rerender();
    followNextRound(app, ctx);
  });
  source.start();
  return () => {
    panels.forEach((cleanup) => cleanup());
    unsubscribe();
    source.stop();
  };
}
