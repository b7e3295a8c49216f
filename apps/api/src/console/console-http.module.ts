import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { consoleAssetsDir } from './console-assets';

export const CONSOLE_PREFIX = '/console';

/**
 * Serves the built brand console (docs/adr/0019-console.md) under /console: hashed assets are
 * immutable, and every other /console path answers index.html so the SPA's own routes survive a
 * reload. Without a build (`npm run build`), /console says so instead of failing the api.
 */
@Module({})
export class ConsoleHttpModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConsoleHttpModule.name);

  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  /**
   * At bootstrap, not module init: awaiting a Fastify plugin loads every route queued so far, and
   * Nest sets its error and not-found handlers after module init — routes loaded before that
   * would answer Fastify's default errors instead of the API's error body.
   */
  async onApplicationBootstrap(): Promise<void> {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const root = consoleAssetsDir();
    fastify.get(CONSOLE_PREFIX, (_request, reply) => reply.redirect(`${CONSOLE_PREFIX}/`));
    if (!root) {
      this.logger.warn('console assets not built (dist/console): /console answers 503');
      const missing = (_request: unknown, reply: FastifyReply) =>
        reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The console is not built: run `npm run build`.');
      fastify.get(`${CONSOLE_PREFIX}/`, missing);
      fastify.get(`${CONSOLE_PREFIX}/*`, missing);
      return;
    }
    const index = readFileSync(join(root, 'index.html'));
    const sendIndex = (_request: unknown, reply: FastifyReply) =>
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
    await fastify.register(fastifyStatic, {
      root,
      prefix: `${CONSOLE_PREFIX}/`,
      // One route per built file; the SPA fallback below takes every other path.
      wildcard: false,
      index: false,
      decorateReply: false,
      setHeaders: (reply, path) => {
        reply.header(
          'cache-control',
          path.includes(`${join('console', 'assets')}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    });
    fastify.get(`${CONSOLE_PREFIX}/`, sendIndex);
    fastify.get(`${CONSOLE_PREFIX}/*`, sendIndex);
  }
}
