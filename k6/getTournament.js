// Original: getTournament_loadTests.js. Per iteration: create, then get it.
//   k6 run -e BASE_URL=http://localhost:8000 k6/getTournament.js
import { check, group } from 'k6';
import { getTournament, idOf, postTournament, restThresholds } from './lib/common.js';

export const options = {
  stages: [
    { duration: '30s', target: 35 },
    { duration: '60s', target: 80 },
    { duration: '60s', target: 80 },
    { duration: '60s', target: 0 },
  ],
  // The original: group_duration{group:::get is ok} avg < 3700 and http_req_failed < 1 %.
  thresholds: restThresholds({
    'group_duration{group:::get is ok}': [`p(95)<${Number(__ENV.P95_MS || 1000)}`],
  }),
};

export default function () {
  let id = '';
  group('post is success', () => {
    const res = postTournament(2);
    id = idOf(res);
    check(res, { 'post is ok': (r) => r.status === 200, 'id is not null': () => id.length > 0 });
  });
  if (!id) {
    return;
  }
  group('get is ok', () => {
    const res = getTournament(id);
    check(res, { 'is status 200:': (r) => r.status === 200 });
  });
}
