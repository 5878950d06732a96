// A tournament's state and fixtures, read over HTTP and kept current by the hub: every message whose version is
// newer than what we hold makes us re-read (GET the state, then the fixtures when there are some). Responses older
// than what is shown are ignored. While the hub is down the data is re-read every few seconds.
import { getFixtures, getState } from "./fixtures-api.js";
import { HubConnection, hubUrl } from "./hub.js";

const POLL_MS = 5000;

function payloadOf(args) {
  try {
    return typeof args[0] === "string" ? JSON.parse(args[0]) : args[0];
  } catch {
    return null;
  }
}

export class FixturesSource {
  /** `token`: a player's token, sent as access_token (the hub then knows who is watching); `withFixtures`: false
   * to follow the state only (the verify page). */
  constructor(tournamentId, { token = null, withFixtures = true } = {}) {
    this.id = tournamentId;
    this.withFixtures = withFixtures;
    this.tournament = null;
    this.fixtures = null;
    this.error = null;
    this.live = "connecting";
    this.listeners = new Set();
    this.loading = null;
    this.again = false;
    this.poll = null;
    const address = token ? `${hubUrl(tournamentId)}&access_token=${encodeURIComponent(token)}` : hubUrl(tournamentId);
    this.hub = new HubConnection(address, {
      onInvocation: (target, args) => this.receive(target, args),
      onState: (state) => {
        this.live = state;
        this.emit();
      },
      onConnected: () => this.refresh(),
    });
  }

  start() {
    this.hub.start();
    this.refresh();
    this.poll = setInterval(() => {
      if (!this.hub.connected) this.refresh();
    }, POLL_MS);
  }

  stop() {
    clearInterval(this.poll);
    this.hub.stop();
    this.listeners.clear();
  }

  /** Call `listener(source)` on every change; returns the function that stops it. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit() {
    for (const listener of [...this.listeners]) listener(this);
  }

  /** The stream version of what we show: the state's (the fixtures are read after it, so never older). */
  get version() {
    return this.tournament ? this.tournament.version : -1;
  }

  receive(target, args) {
    if (String(target).toLowerCase() !== this.id) return;
    const message = payloadOf(args);
    if (!message || typeof message.version !== "number") return; // TeamClicked and the like are not state
    if (message.version > this.version) this.refresh();
  }

  /** Re-read; a call while a read is running starts one more read after it (which sees the latest change). */
  refresh() {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.load().finally(() => {
      this.loading = null;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    });
    return this.loading;
  }

  async load() {
    try {
      const tournament = await getState(this.id);
      const fixtures = this.withFixtures && tournament.hasFixtures ? await getFixtures(this.id) : null;
      this.accept(tournament, fixtures);
    } catch (error) {
      this.error = error;
      this.emit();
    }
  }

  accept(tournament, fixtures) {
    if (tournament.version < this.version) return;
    if (fixtures && (!this.fixtures || fixtures.version >= this.fixtures.version)) this.fixtures = fixtures;
    // Fixtures never disappear: a state read just before they were made must not hide those a write returned.
    this.tournament = this.fixtures && !tournament.hasFixtures ? { ...tournament, hasFixtures: true } : tournament;
    this.error = null;
    this.emit();
  }

  /** Fixtures a write answered with: shown at once unless we already show newer ones. */
  acceptFixtures(fixtures) {
    if (this.fixtures && fixtures.version < this.fixtures.version) return;
    this.fixtures = fixtures;
    if (this.tournament && !this.tournament.hasFixtures) this.tournament = { ...this.tournament, hasFixtures: true };
    this.emit();
  }
}
