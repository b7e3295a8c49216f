import * as tf from '@tensorflow/tfjs';
import {
  currentTfBackend,
  initTfBackend,
  matMulSmokeTest,
  TfBackendError,
  type TfBackendLogger,
} from './backend';

/**
 * tfjs-node is an optional dependency whose installer downloads libtensorflow: on this platform's
 * offline machines it is absent (or present without its binary), so loading it throws.
 */
const tfjsNode: string = '@tensorflow/tfjs-node';
const nativeAvailable = (() => {
  try {
    require.resolve(tfjsNode);
  } catch {
    return false;
  }
  return import(tfjsNode).then(
    () => true,
    () => false,
  );
})();

function recordingLogger(): TfBackendLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (m) => lines.push(`log ${m}`), warn: (m) => lines.push(`warn ${m}`) };
}

describe('initTfBackend', () => {
  // Silences the cpu backend's "install tfjs-node" banner; our own log already says why.
  beforeAll(() => tf.env().set('IS_TEST', true));

  // Where tfjs-node did install (a machine with network access), auto rightly picks it instead.
  const itWithoutNative = (name: string, test: () => Promise<void>) =>
    it(name, async () => {
      if (await nativeAvailable) return;
      await test();
    });

  itWithoutNative(
    'auto: skips tfjs-node (not installable here) and picks wasm from the on-disk binaries',
    async () => {
      const logger = recordingLogger();
      const info = await initTfBackend('auto', { logger });
      expect(info.backend).toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
      expect(currentTfBackend()).toBe('wasm');
      expect(info.attempts.map((a) => [a.backend, a.ok])).toEqual([
        ['node', false],
        ['wasm', true],
      ]);
      expect(info.attempts[0].error).toMatch(/tfjs-node/);
      expect(logger.lines).toEqual([
        expect.stringMatching(/^log TensorFlow.js backend: wasm .*skipped node: /),
      ]);
      expect(await matMulSmokeTest()).toEqual([19, 22, 43, 50]);
    },
  );

  it('runs a real matMul on the chosen backend', async () => {
    await initTfBackend('wasm');
    const a = tf.randomUniform([64, 32]);
    const b = tf.randomUniform([32, 16]);
    const product = tf.matMul(a, b);
    const expected = tf.sum(tf.mul(tf.expandDims(a, 2), tf.expandDims(b, 0)), 1);
    expect(product.shape).toEqual([64, 16]);
    const diff = (await tf.max(tf.abs(tf.sub(product, expected))).data())[0];
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([a, b, product, expected]);
  });

  it('forcing cpu uses only cpu', async () => {
    const info = await initTfBackend('cpu');
    expect(info.backend).toBe('cpu');
    expect(info.attempts).toHaveLength(1);
    expect(tf.getBackend()).toBe('cpu');
    expect(await matMulSmokeTest()).toEqual([19, 22, 43, 50]);
  });

  itWithoutNative('falls back to cpu when wasm fails too, saying why', async () => {
    const info = await initTfBackend('auto', {
      loaders: { wasm: () => Promise.reject(new Error('wasm binary missing\nstack…')) },
    });
    expect(info.backend).toBe('cpu');
    expect(info.attempts.map((a) => a.error)).toEqual([
      expect.stringMatching(/tfjs-node/),
      'wasm binary missing',
      undefined,
    ]);
  });

  it('throws when a forced backend cannot load instead of silently degrading', async () => {
    const logger = recordingLogger();
    const failure = initTfBackend('node', {
      logger,
      loaders: {
        node: () => Promise.reject(new Error("Cannot find module '@tensorflow/tfjs-node'")),
      },
    });
    await expect(failure).rejects.toBeInstanceOf(TfBackendError);
    await expect(failure).rejects.toThrow(/TF_BACKEND=node.*node: /);
    expect(logger.lines[0]).toMatch(/^warn no TensorFlow.js backend/);
  });
});
