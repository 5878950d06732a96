// The fixtures panel: next match, champion, league table or knockout bracket, live. The TV page mounts it alone
// (its own hub connection and GETs); the fixtures screen mounts its read-only parts on the source it already has.
import { h, swapIfChanged, useStylesheet } from "./fixtures-dom.js";
import { FixturesSource } from "./fixtures-live.js";
import { getLang, t } from "./fixtures-texts.js";
import { bracketView, championView, nextMatchView, standingsView } from "./fixtures-view.js";

export const PANEL_PARTS = Object.freeze(["status", "champion", "next", "table"]);

/** The problem line of a source that could not be read, or the live state while reconnecting. */
function statusView(source) {
  const missing = source.error?.status === 404;
  let text = "";
  if (!source.tournament && missing) text = t("fx_notFound");
  else if (source.error && source.error.status !== 404) text = t("fx_offline");
  else if (source.live === "reconnecting") text = t("fx_reconnecting");
  return h("p", { class: text ? "fx-status fx-status-problem" : "fx-status", "data-testid": "fixtures-live", "data-live": source.live, role: "status" }, text);
}

function waitingView(tournament) {
  const text = !tournament ? t("fx_loading") : tournament.draw ? t("fx_waitingFixtures") : t("fx_waitingDraw");
  return h("p", { class: "fx-waiting", "data-testid": "fixtures-waiting" }, text);
}

/** What a part shows now, as [key, build]: the part is rebuilt only when its key changes. */
function partOf(name, source, options) {
  const { fixtures, tournament } = source;
  const me = options.playerId;
  const lang = getLang();
  if (name === "status") return [`${lang}|${source.live}|${source.error?.status}|${!!tournament}`, () => statusView(source)];
  if (!fixtures) {
    const key = `${lang}|wait|${!!tournament}|${!!tournament?.draw}`;
    return name === "next" ? [key, () => waitingView(tournament)] : ["none", () => h("div", { hidden: true })];
  }
  if (name === "champion") {
    const champion = fixtures.champion;
    return [`${lang}|${JSON.stringify(champion)}|${me}`, () => championView(fixtures, { me }) || h("div", { hidden: true })];
  }
  if (name === "next" && fixtures.champion && !fixtures.next) return ["over", () => h("div", { hidden: true })];
  if (name === "next") {
    const next = fixtures.matches.find((m) => m.id === fixtures.next) || null;
    return [`${lang}|${JSON.stringify([next, !!fixtures.champion])}|${me}`, () => nextMatchView(fixtures, { me })];
  }
  const data = fixtures.format === "league" ? fixtures.standings : fixtures.matches;
  const build = fixtures.format === "league" ? standingsView : bracketView;
  return [`${lang}|${fixtures.format}|${JSON.stringify(data)}|${fixtures.next}|${me}`, () => build(fixtures, { me })];
}

/**
 * Mount the panel into `container`; returns the cleanup function.
 * Options: tournamentId; size "tv" or "phone"; source (a FixturesSource to share, else the panel makes and runs
 * its own); playerId (this phone's player, highlighted); parts (a subset of PANEL_PARTS, in this order).
 */
export function mountFixturesPanel(container, options) {
  const { tournamentId, size = "phone", source = null, playerId = null, parts = PANEL_PARTS } = options;
  useStylesheet("/static/fixtures.css");
  const live = source || new FixturesSource(String(tournamentId).toLowerCase());
  const body = h("div", { class: "fx-panel-body" });
  const root = h("div", { class: `fx-panel fx-panel-${size === "tv" ? "tv" : "phone"}`, "data-testid": "fixtures-panel", "data-size": size }, body);
  const slots = new Map(parts.map((name) => [name, null]));
  const draw = () => {
    for (const name of parts) {
      const [key, build] = partOf(name, live, { playerId });
      const node = swapIfChanged(slots.get(name), key, () => {
        const part = build();
        part.classList.add(`fx-part-${name}`);
        return part;
      });
      if (!node.parentNode) body.append(node);
      slots.set(name, node);
    }
  };
  container.replaceChildren(root);
  const unsubscribe = live.subscribe(draw);
  draw();
  if (!source) live.start();
  return () => {
    unsubscribe();
    if (!source) live.stop();
    root.remove();
  };
}
