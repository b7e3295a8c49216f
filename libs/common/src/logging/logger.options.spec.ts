import { RequestMethod } from '@nestjs/common';
import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_PATHS, loggerOptions } from './logger.options';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('loggerOptions', () => {
  it('redacts credentials wherever they appear', () => {
    const { stream, lines } = capture();
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream);
    logger.info({
      req: { headers: { authorization: 'Bearer abc', 'x-api-key': 'lk_x_y', cookie: 'c=1' } },
      body: { password: 'hunter2', refreshToken: 'r', email: 'a@b.c' },
    });
    const [line] = lines();
    const text = JSON.stringify(line);
    expect(text).not.toContain('Bearer abc');
    expect(text).not.toContain('lk_x_y');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('a@b.c');
  });

  it('keeps probe routes out of the logging middleware', () => {
    const { exclude } = loggerOptions('info', 'api');
    expect(exclude).toEqual(
      ['health', 'ready', 'metrics'].map((path) => ({ method: RequestMethod.ALL, path })),
    );
  });
});
