import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** What `TF_BACKEND` may ask for; `auto` tries the fastest backend that loads. */
export type TfBackendPreference = 'auto' | 'node' | 'wasm' | 'cpu';
export type TfBackendName = 'node' | 'wasm' | 'cpu';

export interface TfBackendAttempt {
  backend: TfBackendName;
  ok: boolean;
  /** Why the backend could not be used (first line of the error). */
  error?: string;
  ms: number;
}

export interface TfBackendInfo {
  /** The backend every TF.js op now runs on. */
  backend: TfBackendName;
  /** TF.js' own name for it (`tensorflow`, `wasm`, `cpu`). */
  tfName: string;
  preference: TfBackendPreference;
  /** Every backend tried, in order, with the reason the failed ones were skipped. */
  attempts: TfBackendAttempt[];
}

/** Nest's Logger satisfies this; so does `console`. */
export interface TfBackendLogger {
  log(message: string): void;
  warn(message: string): void;
}

/** The order `auto` tries: native libtensorflow, then WebAssembly (SIMD), then plain JS. */
export const AUTO_ORDER: readonly TfBackendName[] = ['node', 'wasm', 'cpu'];

const TF_NAMES: Record<TfBackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

export class TfBackendError extends Error {
  constructor(
    message: string,
    readonly attempts: TfBackendAttempt[],
  ) {
    super(message);
    this.name = 'TfBackendError';
  }
}

/** A loader makes its backend available to TF.js (imports/registers it); it throws when it cannot. */
export type TfBackendLoader = () => Promise<void>;

/**
 * tfjs-node is an optionalDependency: its installer downloads libtensorflow, so offline installs
 * skip it (or leave it without its native binary) and `require` throws. The module name is held
 * in a variable so neither TypeScript nor a bundler insists on it being installed.
 */
async function loadNode(): Promise<void> {
  const moduleName: string = '@tensorflow/tfjs-node';
  await import(moduleName);
}

let wasmPathsSet = false;

/** The folder holding the package's `.wasm` binaries, on disk: no network needed. */
export function wasmBinariesFolder(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep;
}

async function loadWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // setWasmPaths throws once the backend has been initialised, so set it exactly once.
  if (!wasmPathsSet) {
    wasm.setWasmPaths(wasmBinariesFolder());
    wasmPathsSet = true;
  }
}

async function loadCpu(): Promise<void> {
  // Registered by @tensorflow/tfjs itself.
}

export const DEFAULT_LOADERS: Readonly<Record<TfBackendName, TfBackendLoader>> = {
  node: loadNode,
  wasm: loadWasm,
  cpu: loadCpu,
};

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim() || 'unknown error';
}

/** [[1,2],[3,4]] x [[5,6],[7,8]]: proves the backend computes, not only that it registered. */
export async function matMulSmokeTest(): Promise<number[]> {
  const product = tf.tidy(() =>
    tf.matMul(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([
        [5, 6],
        [7, 8],
      ]),
    ),
  );
  try {
    return Array.from(await product.data());
  } finally {
    product.dispose();
  }
}

const EXPECTED_PRODUCT = [19, 22, 43, 50];

async function tryBackend(name: TfBackendName, loader: TfBackendLoader): Promise<TfBackendAttempt> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    await loader();
    if (!(await tf.setBackend(TF_NAMES[name]))) {
      throw new Error(`tf.setBackend('${TF_NAMES[name]}') failed to initialise`);
    }
    await tf.ready();
    const product = await matMulSmokeTest();
    if (product.some((value, i) => Math.abs(value - EXPECTED_PRODUCT[i]) > 1e-4)) {
      throw new Error(`smoke test matMul returned [${product.join(', ')}]`);
    }
    return { backend: name, ok: true, ms: elapsed() };
  } catch (error) {
    return { backend: name, ok: false, error: firstLine(error), ms: elapsed() };
  }
}

export interface InitTfBackendOptions {
  logger?: TfBackendLogger;
  /** Replace loaders (tests simulate a broken backend). */
  loaders?: Partial<Record<TfBackendName, TfBackendLoader>>;
}

/**
 * Selects the TF.js backend at run time. `auto` takes the first of tfjs-node → wasm → cpu that
 * loads and passes a matMul smoke test; an explicit preference uses only that backend and throws
 * when it cannot load (an operator who forces a backend wants to know, not to be silently slower).
 * Logs which backend won and why the others were skipped.
 */
export async function initTfBackend(
  preference: TfBackendPreference = 'auto',
  options: InitTfBackendOptions = {},
): Promise<TfBackendInfo> {
  const loaders = { ...DEFAULT_LOADERS, ...options.loaders };
  const order = preference === 'auto' ? AUTO_ORDER : [preference];
  const attempts: TfBackendAttempt[] = [];
  for (const name of order) {
    const attempt = await tryBackend(name, loaders[name]);
    attempts.push(attempt);
    if (attempt.ok) {
      const info: TfBackendInfo = { backend: name, tfName: TF_NAMES[name], preference, attempts };
      options.logger?.log(describeTfBackend(info));
      return info;
    }
  }
  const error = new TfBackendError(
    `no TensorFlow.js backend could be loaded (TF_BACKEND=${preference}): ${describeFailures(attempts)}`,
    attempts,
  );
  options.logger?.warn(error.message);
  throw error;
}

function describeFailures(attempts: TfBackendAttempt[]): string {
  return attempts
    .filter((a) => !a.ok)
    .map((a) => `${a.backend}: ${a.error}`)
    .join('; ');
}

/** One log line: `TensorFlow.js backend: wasm (TF_BACKEND=auto, 340 ms); skipped node: …`. */
export function describeTfBackend(info: TfBackendInfo): string {
  const chosen = info.attempts.find((a) => a.ok);
  const failures = describeFailures(info.attempts);
  return (
    `TensorFlow.js backend: ${info.backend} (TF_BACKEND=${info.preference}, ${chosen?.ms ?? 0} ms)` +
    (failures ? `; skipped ${failures}` : '')
  );
}

/** The backend TF.js is using right now, in our names (undefined before initialisation). */
export function currentTfBackend(): TfBackendName | undefined {
  const name = tf.getBackend();
  return (Object.keys(TF_NAMES) as TfBackendName[]).find((key) => TF_NAMES[key] === name);
}
