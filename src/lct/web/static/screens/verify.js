// /t/<id>/verify: anyone can check the draw in their own browser. The page reads the public state, recomputes the
// draw on this device (WebCrypto, or the pure-JS SHA-256 where the page is not on a secure origin) and says in
// plain words whether the revealed seed matches the commitment and the draw gives the announced clubs. Before the
// draw it shows the commitment and checks as soon as the draw happens (live, over the hub).
import { h, useStylesheet } from "../lib/fixtures-dom.js";
import { FixturesSource } from "../lib/fixtures-live.js";
import { url } from "../lib/paths.js";
import { loadPlayer } from "../lib/session.js";
import { checkDraw, howCard, numbersCard, resultCard, seatsCard } from "../lib/verify-view.js";
import { t } from "../lib/verify-texts.js";

function layout(main, id) {
  const view = {
    title: h("h1", { tabindex: "-1", "data-testid": "verify-title" }, t("vf_title")),
    lead: h("p", { class: "lead", "data-testid": "verify-tournament" }),
    status: h("p", { class: "vf-status", role: "status", "data-testid": "verify-status" }, t("vf_loading")),
    body: h("div", { class: "vf-body" }),
  };
  const back = h("nav", { class: "vf-links" }, h("a", { href: url(`/t/${id}/fixtures`), "data-link": true }, t("vf_fixtures")));
  main.replaceChildren(view.title, view.lead, view.status, view.body, back);
  return view;
}

function showStatus(view, source, checked) {
  const error = source.error;
  let text = checked.version < 0 ? t("vf_loading") : "";
  if (error) text = error.status === 404 && !source.tournament ? t("vf_notFound") : t("vf_offline");
  view.status.textContent = text;
  view.status.classList.toggle("error", !!error);
}

/** Recompute for every new version of the state; a slower check of an older state never overwrites a newer one. */
async function update(view, source, me, checked) {
  showStatus(view, source, checked);
  const state = source.tournament;
  if (!state || state.version <= checked.version) return;
  checked.version = state.version;
  const outcome = await checkDraw(state);
  if (checked.version !== state.version || checked.stopped) return;
  showStatus(view, source, checked);
  view.lead.textContent = state.name;
  document.title = `${t("vf_title")} · ${state.name}`;
  view.body.replaceChildren(
    resultCard(state, outcome, me),
    numbersCard(state, outcome),
    outcome.verdict ? seatsCard(state, outcome, me) : "",
    howCard(state),
  );
}

export function renderVerify(app, id) {
  useStylesheet("/static/verify.css");
  const me = loadPlayer(id);
  const view = layout(app.main, id);
  const source = new FixturesSource(id, { withFixtures: false });
  const checked = { version: -1, stopped: false };
  const who = me && { name: me.name, surname: me.surname, clientSeed: me.clientSeed };
  const unsubscribe = source.subscribe(() => update(view, source, who, checked));
  source.start();
  return () => {
    checked.stopped = true;
    unsubscribe();
    source.stop();
  };
}

