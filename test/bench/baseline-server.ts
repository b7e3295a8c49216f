import Fastify from 'fastify';

/** The floor: a bare Fastify route on the same machine, measured in the same run as the api. */
const app = Fastify({ logger: false });
app.get('/health', () => ({ status: 'ok' }));
app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' }).then(
  (address) => process.send?.({ address }),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
