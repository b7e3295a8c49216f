/**
 * HTTP baseline: autocannon against a bare Fastify route (the floor, same run, same machine),
 * the api's /health, and an authenticated member read (JWT verify + throttler in Redis +
 * Postgres lookup). Usage: npm run bench; knobs in harness.ts, plus BENCH_ONLY=me.
 */
import {
  BENCH_PASSWORD,
  CONNECTIONS,
  DURATION,
  measureGet,
  post,
  report,
  runBench,
  withBenchServers,
} from './harness';

runBench(() =>
  withBenchServers(async ({ baselineUrl, apiUrl, createBrand }) => {
    await createBrand();
    await post(`${apiUrl}/v1/brands/bench/members`, {
      email: 'member@bench.test',
      password: BENCH_PASSWORD,
      firstName: 'Bench',
    });
    const { accessToken } = await post<{ accessToken: string }>(`${apiUrl}/v1/auth/member/login`, {
      brandSlug: 'bench',
      email: 'member@bench.test',
      password: BENCH_PASSWORD,
    });

    const results = [
      await measureGet('fastify bare /health (baseline)', `${baselineUrl}/health`),
      ...(process.env.BENCH_ONLY === 'me'
        ? []
        : [await measureGet('api GET /health', `${apiUrl}/health`)]),
      await measureGet('api GET /v1/me (JWT + throttler + Postgres)', `${apiUrl}/v1/me`, {
        authorization: `Bearer ${accessToken}`,
      }),
    ];
    report(`HTTP bench: ${CONNECTIONS} connections, ${DURATION}s each`, results);
  }),
);
