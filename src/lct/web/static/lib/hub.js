// Live updates: a tiny SignalR client (JSON hub protocol v1 over a plain WebSocket, no negotiate
// request; records are JSON objects terminated by the record separator 0x1E, one frame may hold several)
// and TournamentSession, the tournament state read over HTTP and kept current by hub messages.
import { getTournament } from "./api.js";
import { url } from "./paths.js";
import { applyDraw, samePlayer } from "./players.js";
import { setBanner } from "./ui.js";

const RS = "\x1e";
const PING = JSON.stringify({ type: 6 }) + RS;
const RETRY_DELAYS_MS = [0, 1000, 2000, 5000, 10000];
const STEADY_RETRY_MS = 10000;
const PING_INTERVAL_MS = 15000;
const SERVER_TIMEOUT_MS = 30000;
const HANDSHAKE_TIMEOUT_MS = 15000;

export function hubUrl(tournamentId) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}${url("/hubs/actions")}?tournamentId=${encodeURIComponent(tournamentId)}`;
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
  }

  start() {
    if (this.state !== "stopped") return;
    window.addEventListener("online", this.wakeUp);
    document.addEventListener("visibilitychange", this.wakeUp);
    this.setState("connecting");
    this.open();
  }

  stop() {
    window.removeEventListener("online", this.wakeUp);
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
    const delay = RETRY_DELAYS_MS[this.attempt] ?? STEADY_RETRY_MS;
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      if (this.state !== "stopped") this.open();
    }, delay);
  }

  reconnectNow() {
    if (document.visibilityState === "hidden") return;
    if (this.state !== "reconnecting" || this.socket) return;
    clearTimeout(this.retryTimer);
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

/** Tournament state read over HTTP and kept current by hub messages. */
export class TournamentSession {
  constructor(id, { onChange = () => {}, onClicked = () => {}, onConnected = () => {}, onError = () => {} }) {
    this.id = id;
    this.state = null;
    this.clicked = [];
    this.handlers = { onChange, onClicked, onConnected, onError };
    this.refreshing = null;
    this.hub = new HubConnection(hubUrl(id), {
      onInvocation: (target, args) => this.receive(target, args),
      onState: (state) => setBanner(state),
      onConnected: () => {
        this.reread().catch((error) => this.handlers.onError(error));
        this.handlers.onConnected();
      },
    });
    this.poll = null;
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

  /** Re-read the state over HTTP; a response older than what we already have is ignored. */
  refresh() {
    if (!this.refreshing) {
      this.refreshing = getTournament(this.id)
        .then((fresh) => this.accept(fresh))
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  accept(fresh) {
    const known = this.state?.streamVersion;
    if (typeof known === "number" && typeof fresh.streamVersion === "number" && fresh.streamVersion < known) {
      return this.state;
    }
    this.state = { ...fresh, players: (fresh.players || []).map((p) => ({ ...p })) };
    this.handlers.onChange(this.state, { type: "Refresh" });
    return this.state;
  }

  /** A GET issued after this call (one already in flight may predate the hub subscription). */
  reread() {
    const again = () => this.refresh();
    return this.refreshing ? this.refreshing.then(again, again) : again();
  }

  refreshSoon() {
    setTimeout(() => this.refresh().catch(() => {}), 0);
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
    if (!this.state) {
      this.refresh().catch(() => {});
      return;
    }
    if (!this.advance(message.version)) return;
    if (!this.apply(message)) return;
    this.handlers.onChange(this.state, message);
  }

  /** Move to `version`; false when the message is already part of the state we hold. */
  advance(version) {
    const known = this.state.streamVersion;
    if (typeof version !== "number" || typeof known !== "number") return true;
    if (version <= known) return false;
    if (version > known + 1) this.refreshSoon(); // we missed something
    this.state.streamVersion = version;
    return true;
  }

  apply(message) {
    const players = this.state.players;
    switch (message.type) {
      case "PlayerAssigned":
        if (!players.some((p) => samePlayer(p, message))) {
          players.push({ name: message.name, surname: message.surname, selectedTeam: null, drawnTeam: null });
        }
        return true;
      case "TeamSelected": {
        const player = players.find((p) => p.name === message.playerName && p.surname === message.playerSurname);
        if (player) player.selectedTeam = message.team;
        else this.refreshSoon();
        return true;
      }
      case "TeamsDrawn":
        applyDraw(this.state, message.drawnTeams || []);
        return true;
      default:
        return false;
    }
  }
}
