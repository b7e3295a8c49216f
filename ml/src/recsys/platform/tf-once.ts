import { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { type TfBackendInfo, currentTfBackend, initTfBackend } from '../../backend';

let ready: Promise<TfBackendInfo | undefined> | undefined;

/**
 * The worker does not pick a TF.js backend at boot (the recommender does, in TfRuntime); the
 * first training in a process does, once. Returns the backend name in use.
 */
export async function ensureTfBackend(config: AppConfig): Promise<string> {
  if (!currentTfBackend() || !ready) {
    ready ??= initTfBackend(config.ml.tfBackend, { logger: new Logger('TfBackend') }).catch(
      () => undefined,
    );
    await ready;
  }
  return currentTfBackend() ?? 'cpu';
}
