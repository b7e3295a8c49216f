import { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { initTfBackend, type TfBackendInfo } from '@app/ml';

/**
 * The TensorFlow.js runtime of this process: the backend is chosen once at boot (tfjs-node →
 * wasm → cpu, or TF_BACKEND) so the first request never pays for it.
 */
export class TfRuntime {
  private constructor(readonly backend: TfBackendInfo) {}

  static async init(config: AppConfig): Promise<TfRuntime> {
    const info = await initTfBackend(config.ml.tfBackend, { logger: new Logger('TfBackend') });
    return new TfRuntime(info);
  }
}
