// Live updates: a tiny SignalR client (JSON hub protocol v1 over a plain WebSocket, no negotiate
// request; records are JSON objects terminated by the record separator 0x1E, one frame may hold several)
// and TournamentSession, the tournament state read over HTTP (API v2) and re-read whenever a hub message says
// that it changed (a "version" newer than the state held): messages are never patched into the state.
import { v2 } from "./api.js";
import { url } from "./paths.js";
import { setBanner } from "./ui.js";

const RS = "\x1e";
const PING = JSON.stringify({ type: 6 }) + RS;
const RETRY_DELAYS_MS = [0, 1000, 2000, 5000];
const MAX_RETRY_MS = 5000;
const PING_INTERVAL_MS = 15000;
const SERVER_TIMEOUT_MS = 30000;
const HANDSHAKE_TIMEOUT_MS = 15000;

/** The hub address of a tournament; a player's connection adds its token (its live clicks then count). */
export function hubUrl(tournamentId, token = null) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = `tournamentId=${encodeURIComponent(tournamentId)}${token ? `&access_token=${encodeURIComponent(token)}` : ""}`;
  return `${scheme}://${location.host}${url("/hubs/actions")}?${query}`;
}

/** How long to wait before reconnection attempt number `attempt` (0, 1, 2 s, then every 5 s at most). */
export function retryDelay(attempt) {
  return Math.min(RETRY_DELAYS_MS[attempt] ?? MAX_RETRY_MS, MAX_RETRY_MS);
}

/**
 * States: "connecting" (first attempt), "connected", "reconnecting", "stopped".
 * onState(state) is called on every change; onConnected() after every successful handshake;
 * onInvocation(target, args) for each server invocation.
 */
export class HubConnection {
  constructor(url, { onInvocation = () => {}, onState = () => {}, onConnected = () => {} } = {}) {
    this.url = url;
    this.onInvocation = onInvocation;
    this.onState = onState;
    this.onConnected = onConnected;
    this.state = "stopped";
    this.socket = null;
    this.buffer = "";
    this.handshakeDone = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.pingTimer = null;
    this.silenceTimer = null;
    this.wakeUp = () => this.reconnectNow();
    this.backOnline = () => this.reconnectNow({ now: true });
    this.wentOffline = () => {
      if (this.state === "connected") this.lost(); // do not wait for the socket to notice
    };
  }

  start() {
    if (this.state !== "stopped") return;
    window.addEventListener("online", this.backOnline);
    window.addEventListener("offline", this.wentOffline);
    document.addEventListener("visibilitychange", this.wakeUp);
    this.setState("connecting");
    this.open();
  }

  stop() {
    window.removeEventListener("online", this.backOnline);
    window.removeEventListener("offline", this.wentOffline);
    document.removeEventListener("visibilitychange", this.wakeUp);
    clearTimeout(this.retryTimer);
    this.teardown();
    this.setState("stopped");
  }

  get connected() {
    return this.state === "connected";
  }

  /** Fire-and-forget invocation. Returns false when it could not be sent. */
  send(target, ...args) {
    if (!this.connected) return false;
    try {
      this.socket.send(JSON.stringify({ type: 1, target, arguments: args }) + RS);
      return true;
    } catch {
      return false;
    }
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.onState(state);
  }

  open() {
    this.buffer = "";
    this.handshakeDone = false;
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ protocol: "json", version: 1 }) + RS);
      this.armSilenceTimer(HANDSHAKE_TIMEOUT_MS);
    };
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      if (typeof event.data === "string") this.receive(event.data);
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.lost();
    };
    socket.onerror = () => {
      /* onclose follows */
    };
  }

  receive(text) {
    this.armSilenceTimer(SERVER_TIMEOUT_MS);
    this.buffer += text;
    let end;
    while ((end = this.buffer.indexOf(RS)) >= 0) {
      const record = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      if (!this.handle(record)) return;
    }
  }

  /** One record: the handshake response first, then messages. False when the rest must be dropped. */
  handle(record) {
    let message;
    try {
      message = JSON.parse(record);
    } catch {
      this.lost();
      return false;
    }
    if (this.handshakeDone) {
      this.dispatch(message);
      return this.socket !== null;
    }
    if (message.error) {
      this.lost();
      return false;
    }
    this.handshakeDone = true;
    this.attempt = 0;
    this.startPinging();
    this.setState("connected");
    this.onConnected();
    return true;
  }

  dispatch(message) {
    switch (message.type) {
      case 1:
        try {
          this.onInvocation(message.target, message.arguments || []);
        } catch (error) {
          console.error("hub handler failed", error);
        }
        break;
      case 7:
        if (message.allowReconnect) {
          this.lost();
        } else {
          this.stop();
        }
        break;
      default:
        break; // pings (6) and anything else only keep the connection alive
    }
  }

  startPinging() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      try {
        this.socket?.send(PING);
      } catch {
        /* the close handler reconnects */
      }
    }, PING_INTERVAL_MS);
  }

  armSilenceTimer(ms) {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => this.lost(), ms);
  }

  teardown() {
    clearInterval(this.pingTimer);
    clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close();
      } catch {
        /* already closed */
      }
    }
  }

  lost() {
    if (this.state === "stopped") return;
    this.teardown();
    this.setState("reconnecting");
    this.scheduleRetry();
  }

  scheduleRetry() {
    clearTimeout(this.retryTimer);
    const delay = retryDelay(this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      if (this.state !== "stopped") this.open();
    }, delay);
  }

  /**
   * Try again without waiting for the back-off: when the page becomes visible, or at once (`now`) when the
   * browser reports that it is back online, even if an attempt is pending (it may hang on the dead network).
   */
  reconnectNow({ now = false } = {}) {
    if (this.state !== "reconnecting" && this.state !== "connecting") return;
    if (!now && (document.visibilityState === "hidden" || this.socket)) return;
    clearTimeout(this.retryTimer);
    this.teardown();
    this.attempt = 0;
    this.open();
  }
}


function parseMessage(args) {
  try {
    return typeof args[0] === "string" ? JSON.parse(args[0]) : args[0];
  } catch {
    return null;
  }
}

/**
 * A tournament's state (API v2) kept current. Handlers: onChange(state, previous) after every state read that is
 * not older than the one held; onClicked(clickedTeams); onMessage(message) for every message of this tournament
 * (NextRoundStarted, FixturesCreated, PlayerTokenReissued… after the re-read it triggers has been asked for);
 * onConnected() after every (re)connection; onError(error) when a read fails.
 */
export class TournamentSession {
  constructor(id, { token = null, onChange, onClicked, onMessage, onConnected, onError } = {}) {
    const noop = () => {};
    this.id = id;
    this.state = null;
    this.clicked = [];
    this.handlers = {
      onChange: onChange || noop,
      onClicked: onClicked || noop,
      onMessage: onMessage || noop,
      onConnected: onConnected || noop,
      onError: onError || noop,
    };
    this.refreshing = null;
    this.again = false;
    this.poll = null;
    this.hub = new HubConnection(hubUrl(id, token), {
      onInvocation: (target, args) => this.receive(target, args),
      onState: (state) => setBanner(state),
      onConnected: () => {
        this.refresh().catch((error) => this.handlers.onError(error));
        this.handlers.onConnected();
      },
    });
  }

  start() {
    this.hub.start();
    // While the hub is down, fall back to reading the state every few seconds.
    this.poll = setInterval(() => {
      if (!this.hub.connected && this.state) this.refresh().catch(() => {});
    }, 5000);
  }

  stop() {
    clearInterval(this.poll);
    this.hub.stop();
    setBanner("stopped");
  }

  /**
   * Read the state over HTTP. A call while a read is in flight asks for one more read after it (the one in flight
   * may have left the server before the change that prompted this call); a response older than the state held
   * is ignored.
   */
  refresh() {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.again = false;
    this.refreshing = v2
      .state(this.id)
      .then((fresh) => this.accept(fresh))
      .finally(() => {
        this.refreshing = null;
        if (this.again) this.refresh().catch((error) => this.handlers.onError(error));
      });
    return this.refreshing;
  }

  accept(fresh) {
    const previous = this.state;
    if (previous && typeof fresh.version === "number" && fresh.version < previous.version) return previous;
    this.state = fresh;
    this.handlers.onChange(fresh, previous);
    return fresh;
  }

  receive(target, args) {
    if (String(target).toLowerCase() !== this.id) return;
    const message = parseMessage(args);
    if (!message || String(message.tournamentId).toLowerCase() !== this.id) return;
    if (message.type === "TeamClicked") {
      this.clicked = Array.isArray(message.clickedTeams) ? message.clickedTeams : [];
      this.handlers.onClicked(this.clicked);
      return;
    }
    const known = this.state?.version;
    if (typeof known !== "number" || typeof message.version !== "number" || message.version > known) {
      this.refresh().catch((error) => this.handlers.onError(error));
    }
    this.handlers.onMessage(message);
  }
}
