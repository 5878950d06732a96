// Shared helpers, the same flows as the original's LCT.k6Tests/common.js (contract section 8.3).
// BASE_URL: the service root, without /api (default http://localhost:8000).
import http from 'k6/http';

export const BASE_URL = (__ENV.BASE_URL || 'http://localhost:8000').replace(/\/+$/, '');
export const TOURNAMENT_URL = `${BASE_URL}/api/Tournament`;

const JSON_PARAMS = { headers: { 'Content-Type': 'application/json' } };

// Latency and failure thresholds shared by the REST scripts; override with P95_MS, P99_MS, MAX_FAILED_RATE.
export function restThresholds(extra) {
  const p95 = Number(__ENV.P95_MS || 1000);
  const p99 = Number(__ENV.P99_MS || 2000);
  const failed = Number(__ENV.MAX_FAILED_RATE || 0.01);
  return Object.assign(
    {
      http_req_duration: [`p(95)<${p95}`, `p(99)<${p99}`],
      http_req_failed: [`rate<${failed}`],
      checks: [`rate>${1 - failed}`],
    },
    extra || {},
  );
}

function rand() {
  // As the original: a float, e.g. performanceTest1234567890.123 (unique with overwhelming probability).
  return Date.now() * Math.random();
}

export function postTournament(limit = 2) {
  const body = JSON.stringify({ name: `performanceTest${rand()}`, playerLimit: limit });
  return http.post(`${TOURNAMENT_URL}/create`, body, JSON_PARAMS);
}

export function assignPlayer(id) {
  const body = JSON.stringify({ name: `test${rand()}`, surname: 'performance', tournamentId: id });
  return http.post(`${TOURNAMENT_URL}/assignPlayer`, body, JSON_PARAMS);
}

export function getTournament(id) {
  return http.get(`${TOURNAMENT_URL}?Id=${encodeURIComponent(id)}`);
}

// The create response is the JSON-quoted GUID; like the original, remove every '"' from the raw body.
export function idOf(response) {
  return response && typeof response.body === 'string' ? response.body.replace(/"/g, '') : '';
}
