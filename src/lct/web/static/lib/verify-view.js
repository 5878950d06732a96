// The draw check of the verify page: recompute the draw on this device (lib/draw-proof.js, WebCrypto or the
// pure-JS SHA-256) from the public state (GET /api/v2/tournaments/<id>) and show it in plain words.
import { REASONS, commitmentOf, cryptoEngine, verifyProof } from "./draw-proof.js";
import { fullName, h } from "./fixtures-dom.js";
import { url } from "./paths.js";
import { t } from "./verify-texts.js";

function sameSeats(seats, draw) {
  return seats.length === draw.length && seats.every((s, k) => s.name === draw[k].name && s.surname === draw[k].surname);
}

/** What the page says: {kind: "pending"|"keep"|"noproof"|"verified"|"failed", ...the numbers behind it}. */
export async function checkDraw(state) {
  const engine = cryptoEngine();
  if (!state.draw) return { kind: "pending", engine };
  if (state.drawMode === "keep") return { kind: "keep", engine };
  if (!state.drawProof) return { kind: "noproof", engine };
  const result = state.draw.map((entry) => entry.club);
  const verdict = await verifyProof({
    tournamentId: state.id,
    mode: state.drawMode,
    drawCommitment: state.drawCommitment,
    drawProof: state.drawProof,
    catalogue: (state.clubs || []).map((club) => club.name),
    result,
  });
  let fingerprint = null;
  try {
    fingerprint = await commitmentOf(state.drawProof.serverSeed);
  } catch {
    /* not 64 hex digits: verdict says so */
  }
  const seatsOk = Array.isArray(state.drawProof.seats) && sameSeats(state.drawProof.seats, state.draw);
  return { kind: verdict.ok && seatsOk ? "verified" : "failed", engine, verdict, fingerprint, seatsOk, result };
}

function failureText(outcome) {
  if (outcome.kind === "noproof") return t("vf_fail_noproof");
  const reason = outcome.verdict.reason;
  if (reason === REASONS.mismatchCommitment) return t("vf_fail_mismatchCommitment");
  if (reason === REASONS.mismatchResult) return t("vf_fail_mismatchResult");
  if (outcome.verdict.ok && !outcome.seatsOk) return t("vf_fail_seats");
  return t("vf_fail_malformed");
}

const HEADLINES = { pending: "vf_pending", keep: "vf_keep", verified: "vf_verified", failed: "vf_failed", noproof: "vf_failed" };
const ICONS = { pending: "…", keep: "–", verified: "✓", failed: "✗", noproof: "✗" };

/** The seat of this phone's player in the proof whose client seed is not the one the phone sent, or null. */
function swappedSeed(state, me) {
  if (!me || !me.clientSeed || !Array.isArray(state.drawProof?.seats)) return null;
  const seat = state.drawProof.seats.find((s) => s.name === me.name && s.surname === me.surname);
  return seat && seat.clientSeed !== me.clientSeed ? seat : null;
}

export function resultCard(state, outcome, me = null) {
  const ran = outcome.kind === "verified" || outcome.kind === "failed" || outcome.kind === "noproof";
  const swapped = ran && swappedSeed(state, me);
  const texts = { pending: t("vf_pendingText"), keep: t("vf_keepText"), verified: t("vf_verifiedText") };
  const technical = outcome.kind === "failed" && outcome.verdict.reason !== REASONS.ok ? outcome.verdict.reason : "";
  return h(
    "section",
    {
      class: `vf-result vf-${outcome.kind}`,
      "data-testid": "verify-result",
      "data-state": outcome.kind,
      "data-verified": ran ? String(outcome.kind === "verified") : null,
      role: "status",
    },
    h("span", { class: "vf-icon", "aria-hidden": "true" }, ICONS[outcome.kind]),
    h("div", { class: "vf-result-text" },
      h("h2", {}, t(HEADLINES[outcome.kind])),
      h("p", { "data-testid": "verify-explanation" }, texts[outcome.kind] || failureText(outcome)),
      swapped ? h("p", { class: "vf-bad", "data-testid": "verify-my-seed-warning" }, t("vf_mySeedWarning")) : null,
      technical ? h("p", { class: "vf-technical" }, t("vf_technical", { reason: technical })) : null,
      state.draw && state.drawMode !== "keep" ? h("p", { class: "vf-mode" }, t(`vf_mode_${state.drawMode}`)) : null,
      ran ? h("p", { class: "vf-engine", "data-testid": "verify-engine", "data-engine": outcome.engine }, t(`vf_engine_${outcome.engine}`)) : null,
    ),
  );
}

function hexRow(label, value, testid, extra = null) {
  return [h("dt", {}, label), h("dd", {}, value ? h("code", { class: "vf-hex", "data-testid": testid }, value) : h("span", { class: "muted", "data-testid": testid }, t("vf_seedHidden")), extra)];
}

export function numbersCard(state, outcome) {
  const seed = state.drawProof?.serverSeed || null;
  const same = outcome.fingerprint && outcome.fingerprint === String(state.drawCommitment).toLowerCase();
  const mark = outcome.fingerprint ? h("p", { class: same ? "vf-ok" : "vf-bad", "data-testid": "verify-fingerprint-match", "data-same": String(!!same) }, t(same ? "vf_same" : "vf_differs")) : null;
  return h(
    "section",
    { class: "card vf-numbers" },
    h("h2", {}, t("vf_numbers")),
    h(
      "dl",
      {},
      hexRow(t("vf_commitment"), state.drawCommitment, "verify-commitment"),
      state.draw && state.drawMode !== "keep" ? hexRow(t("vf_seed"), seed, "verify-seed") : null,
      outcome.fingerprint ? hexRow(t("vf_fingerprint"), outcome.fingerprint, "verify-fingerprint", mark) : null,
    ),
  );
}

function seatItem(seat, index, outcome, state, me) {
  const recomputed = outcome.verdict.expected[index];
  const announced = state.draw[index]?.club;
  const same = recomputed !== undefined && recomputed === announced;
  const mine = me && seat.name === me.name && seat.surname === me.surname;
  const fact = (label, value, testid, wide = false) =>
    h("div", { class: wide ? "vf-fact vf-fact-wide" : "vf-fact" }, h("dt", {}, label), h("dd", { "data-testid": testid }, value));
  return h(
    "li",
    { class: `vf-seat ${same ? "vf-seat-ok" : "vf-seat-bad"}${mine ? " vf-mine" : ""}`, "data-testid": "verify-seat", "data-same": String(same), "data-recomputed": recomputed ?? "", "data-announced": announced ?? "" },
    h("p", { class: "vf-seat-name" }, `${index + 1}. ${fullName(seat)}`, mine ? h("span", { class: "tag" }, t("vf_you")) : null),
    h(
      "dl",
      {},
      fact(t("vf_clientSeed"), seat.clientSeed ? h("code", {}, seat.clientSeed) : h("span", { class: "muted" }, t("vf_noSeed")), "seat-client-seed", true),
      state.drawMode === "pool" ? fact(t("vf_picked"), seat.club, "seat-picked", true) : null,
      fact(t("vf_recomputed"), recomputed ?? "—", "seat-recomputed"),
      fact(t("vf_published"), announced ?? "—", "seat-announced"),
    ),
    h("p", { class: same ? "vf-ok" : "vf-bad" }, t(same ? "vf_seatOk" : "vf_seatBad")),
    mine && me.clientSeed ? mySeedCheck(seat, me.clientSeed) : null,
  );
}

/** On the phone that joined: is the seed it sent the one in its seat? (docs/fairness.md, "the honest limits") */
function mySeedCheck(seat, sent) {
  const same = seat.clientSeed === sent;
  const attributes = { class: same ? "vf-ok" : "vf-bad", "data-testid": "verify-my-seed", "data-same": String(same) };
  return h("p", attributes, t(same ? "vf_mySeedOk" : "vf_mySeedBad", { seed: sent }));
}

export function seatsCard(state, outcome, me) {
  const seats = state.drawProof?.seats;
  if (!Array.isArray(seats) || !outcome.verdict) return null;
  return h(
    "section",
    { class: "card vf-seats-card" },
    h("h2", {}, t("vf_seats")),
    h("p", { class: "lead" }, t("vf_seatsIntro")),
    h("ol", { class: "vf-seats", "data-testid": "verify-seats" }, seats.map((seat, index) => seatItem(seat, index, outcome, state, me))),
  );
}

export function howCard(state) {
  const data = url(`/api/v2/tournaments/${state.id}`);
  return h(
    "section",
    { class: "card vf-how", "data-testid": "verify-how" },
    h("h2", {}, t("vf_howTitle")),
    h("ol", {}, ["vf_how1", "vf_how2", "vf_how3", "vf_how4"].map((key) => h("li", {}, t(key)))),
    h("h3", {}, t("vf_whyTitle")),
    h("p", {}, t("vf_why")),
    h("h3", {}, t("vf_limitsTitle")),
    h("ul", {}, ["vf_limit1", "vf_limit2", "vf_limit3", "vf_limit4"].map((key) => h("li", {}, t(key)))),
    h("p", {}, t("vf_yourself"), " ", h("code", {}, `lct verify ${state.id}`), " · ", h("a", { href: data, "data-testid": "verify-data-link" }, t("vf_yourselfData"))),
    h("p", { class: "muted" }, t("vf_yourselfDocs")),
  );
}
