// Original: assignPlayerToTournament.js. Per iteration: create (limit 6), then 6 sequential registrations.
//   k6 run -e BASE_URL=http://localhost:8000 k6/assignPlayer.js
import { check } from 'k6';
import { assignPlayer, idOf, postTournament, restThresholds } from './lib/common.js';

export const options = {
  scenarios: {
    heavy_load: {
      executor: 'ramping-vus',
      startVUs: 10,
      stages: [
        { duration: '30s', target: 20 },
        { duration: '30s', target: 35 },
        { duration: '1m', target: 35 },
        { duration: '1m30s', target: 0 },
      ],
      gracefulRampDown: '15s',
    },
    real_time_scenario: {
      executor: 'shared-iterations',
      startTime: '250s',
      vus: 30,
      iterations: 230,
      maxDuration: '200s',
    },
  },
  // The original: p(90) < 6000 ms and http_req_failed < 2 %.
  thresholds: restThresholds(),
};

export default function () {
  const created = postTournament(6);
  const ok = check(created, { 'is status 200:': (r) => r.status === 200 });
  if (!ok) {
    return;
  }
  const id = idOf(created);
  for (let i = 0; i < 6; i++) {
    const res = assignPlayer(id);
    check(res, { 'assign is 200:': (r) => r.status === 200 });
  }
}
