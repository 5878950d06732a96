// Hub fan-out: CLIENTS SignalR clients (JSON hub protocol over a plain WebSocket, no negotiate, as the web app)
// spread over TOURNAMENTS tournaments. In each tournament one client (the clicker) sends a TeamClicked invocation
// every CLICK_INTERVAL seconds; every client of that tournament, the clicker included, must receive the fan-out
//   {"type":1,"target":"<id>","arguments":["{\"type\":\"TeamClicked\",...,\"clickedTeams\":[...]}"]}\x1e
// A click must name a registered player of the tournament, so setup registers the clicker in each one. The clicker
// times each click from its send to its own receipt of the fan-out (a round trip through the hub, measured on one
// clock); every client counts what it receives (hub_messages_received ≈ clients × clicks).
//   k6 run -e BASE_URL=http://localhost:8000 -e CLIENTS=1000 -e TOURNAMENTS=1 k6/hub.js
import { check } from 'k6';
import http from 'k6/http';
import ws from 'k6/ws';
import { Counter, Trend } from 'k6/metrics';
import { BASE_URL, idOf } from './lib/common.js';

const RS = '\x1e';
const CLIENTS = Number(__ENV.CLIENTS || 200);
const TOURNAMENTS = Math.max(1, Math.min(Number(__ENV.TOURNAMENTS || 4), CLIENTS));
const HOLD_S = Number(__ENV.HOLD_SECONDS || 60);
const CLICK_INTERVAL_S = Number(__ENV.CLICK_INTERVAL || 1);
const SETTLE_S = Number(__ENV.SETTLE_SECONDS || 10); // clicks start once every client has had time to connect
const CLICKER_NAME = 'k6';
const CLICKER_SURNAME = 'clicker';
const WS_URL = BASE_URL.replace(/^http/, 'ws') + '/hubs/actions';

const fanoutLatency = new Trend('hub_fanout_latency', true);
const received = new Counter('hub_messages_received');
const clicksSent = new Counter('hub_clicks_sent');
const handshakeFailed = new Counter('hub_handshake_failed');

export const options = {
  scenarios: {
    hub_clients: {
      executor: 'per-vu-iterations',
      vus: CLIENTS,
      iterations: 1,
      maxDuration: `${HOLD_S + SETTLE_S + 60}s`,
    },
  },
  setupTimeout: '60s',
  thresholds: {
    hub_fanout_latency: [`p(99)<${Number(__ENV.P99_MS || 50)}`],
    hub_handshake_failed: ['count<1'],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  const ids = [];
  for (let i = 0; i < TOURNAMENTS; i++) {
    const body = JSON.stringify({ name: `hubTest${Date.now() * Math.random()}`, playerLimit: 10 });
    const res = http.post(`${BASE_URL}/api/Tournament/create`, body, {
      headers: { 'Content-Type': 'application/json' },
    });
    check(res, { 'create is 200': (r) => r.status === 200 });
    const id = idOf(res);
    const player = JSON.stringify({ name: CLICKER_NAME, surname: CLICKER_SURNAME, tournamentId: id });
    const joined = http.post(`${BASE_URL}/api/Tournament/assignPlayer`, player, {
      headers: { 'Content-Type': 'application/json' },
    });
    check(joined, { 'clicker registered (200)': (r) => r.status === 200 });
    ids.push(id);
  }
  return { ids };
}

export default function (data) {
  const vu = __VU - 1; // 0-based
  const id = data.ids[vu % TOURNAMENTS];
  const isClicker = vu < TOURNAMENTS; // the first client of each tournament clicks
  const url = `${WS_URL}?tournamentId=${encodeURIComponent(id)}`;
  let handshaken = false;
  let buffer = '';
  let lastSent = 0; // the clicker's send time of its latest click (ms)

  const res = ws.connect(url, {}, (socket) => {
    socket.on('open', () => {
      socket.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS);
    });
    socket.on('message', (text) => {
      buffer += text;
      const records = buffer.split(RS);
      buffer = records.pop();
      for (const record of records) {
        if (!handshaken) {
          handshaken = record === '{}' || !JSON.parse(record).error;
          if (!handshaken) handshakeFailed.add(1);
          continue;
        }
        const msg = JSON.parse(record);
        if (msg.type === 6) {
          socket.send(JSON.stringify({ type: 6 }) + RS); // answer pings
          continue;
        }
        if (msg.type !== 1 || msg.target !== id) continue;
        const inner = JSON.parse(msg.arguments[0]);
        if (inner.type !== 'TeamClicked' || inner.tournamentId !== id) continue;
        received.add(1);
        if (isClicker && lastSent > 0) {
          fanoutLatency.add(Date.now() - lastSent);
          lastSent = 0;
        }
      }
    });
    if (isClicker) {
      socket.setTimeout(() => {
        socket.setInterval(() => {
          const click = {
            type: 1,
            target: 'TeamClicked',
            arguments: [{ groupKey: id, team: 'Bayern', name: CLICKER_NAME, surname: CLICKER_SURNAME }],
          };
          lastSent = Date.now();
          socket.send(JSON.stringify(click) + RS);
          clicksSent.add(1);
        }, CLICK_INTERVAL_S * 1000);
      }, SETTLE_S * 1000);
    }
    socket.setTimeout(() => socket.close(), (SETTLE_S + HOLD_S) * 1000);
  });
  check(res, { 'websocket upgraded (101)': (r) => r && r.status === 101 });
  check(handshaken, { 'signalr handshake answered': (h) => h === true });
}
