// Pieces more than one screen uses: joining by room code, and the start of a live screen that is not a phone's
// own seat (the host, the TV, a late joiner watching).
import { hasCode, isNotFound, v2 } from "../lib/api.js";
import { TournamentSession } from "../lib/hub.js";
import { addTexts, t } from "../lib/i18n.js";
import { clearTransient, errorLine, h, setBusy, showApiError, showError, showNotFound } from "../lib/ui.js";

addTexts({
  en: {
    codeTitle: "Join with a code",
    codeIntro: "Type the 6-character room code from the host's screen.",
    codeLabel: "Room code",
    codeSubmit: "Find the tournament",
    codeFinding: "Looking…",
  },
  pl: {
    codeTitle: "Dołącz kodem",
    codeIntro: "Wpisz 6-znakowy kod pokoju z ekranu gospodarza.",
    codeLabel: "Kod pokoju",
    codeSubmit: "Znajdź turniej",
    codeFinding: "Szukam…",
  },
});

const CODE_RE = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/;

/** What people type as a room code: any case, spaces and dashes ignored. */
export function normaliseCode(text) {
  return String(text || "").replace(/[\s-]+/g, "").toUpperCase();
}

async function findByCode(form, navigate) {
  const code = normaliseCode(form.input.value);
  showError(form.error, "");
  form.input.removeAttribute("aria-invalid");
  if (!CODE_RE.test(code)) {
    form.input.setAttribute("aria-invalid", "true");
    showError(form.error, t("err_codeFormat"));
    form.input.focus();
    return;
  }
  setBusy(form.submit, true, t("codeSubmit"), t("codeFinding"));
  try {
    const state = await v2.byCode(code);
    navigate(`/t/${state.id}/join`);
    return;
  } catch (error) {
    if (hasCode(error, "RoomCodeNotFound")) form.input.setAttribute("aria-invalid", "true");
    showApiError(form.error, error);
  }
  setBusy(form.submit, false, t("codeSubmit"), t("codeFinding"));
}

/** The "Join with a code" card (data-testid join-code, join-code-submit); `code` pre-fills it. */
export function joinCodeCard(navigate, { code = "", error = "", heading = "h2" } = {}) {
  const form = {
    input: h("input", {
      type: "text",
      id: "join-code",
      "data-testid": "join-code",
      class: "code-input",
      maxlength: 12,
      autocomplete: "off",
      autocapitalize: "characters",
      spellcheck: "false",
      "aria-describedby": "join-code-intro",
      value: code,
    }),
    error: errorLine({ id: "join-code-error" }),
    submit: h("button", { type: "submit", class: "btn", "data-testid": "join-code-submit" }, t("codeSubmit")),
  };
  form.error.dataset.testid = "join-code-error";
  showError(form.error, error);
  const onsubmit = (event) => {
    event.preventDefault();
    findByCode(form, navigate);
  };
  return h(
    "section",
    { class: "card", "aria-labelledby": "join-code-title" },
    h(heading, { id: "join-code-title", tabindex: heading === "h1" ? -1 : null }, t("codeTitle")),
    h("p", { class: "lead", id: "join-code-intro" }, t("codeIntro")),
    h(
      "form",
      { novalidate: true, onsubmit, class: "code-form" },
      h("label", { for: "join-code" }, t("codeLabel")),
      h("div", { class: "code-row" }, form.input, form.submit),
      form.error,
    ),
  );
}

/** A failed request: a missing tournament replaces the screen, anything else is shown in `error`. */
export function showFailure(main, error, err) {
  if (isNotFound(err)) showNotFound(main);
  else showApiError(error, err);
}

/**
 * A live screen without a seat of its own (host, TV, watching): read the state, then follow the hub. A failed
 * first read still goes live, except for a missing tournament. Returns the session (stop() it on unmount).
 */
export function liveSession(main, id, { error, token = null, onChange, onClicked, onMessage }) {
  let stopped = false;
  const session = new TournamentSession(id, {
    token,
    onChange: (state, previous) => !stopped && onChange(state, previous),
    onClicked: (clicked) => !stopped && onClicked?.(clicked),
    onMessage: (message) => !stopped && onMessage?.(message),
    onConnected: () => clearTransient(error),
    onError: (err) => !stopped && showFailure(main, error, err),
  });
  const stop = session.stop.bind(session);
  session.stop = () => {
    stopped = true;
    stop();
  };
  session.refresh().then(
    () => !stopped && session.start(),
    (err) => {
      if (stopped) return;
      showFailure(main, error, err);
      if (!isNotFound(err)) session.start();
    },
  );
  return session;
}
