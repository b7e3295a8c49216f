import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '@app/config';
import { HoldsService } from '@app/drops';

/**
 * Expires due drop holds every DROP_HOLD_EXPIRY_POLL_MS: one indexed query finds them, one
 * transaction per batch expires them with their events. Replaces a delayed job per hold, which
 * cost every reservation a bull insert on the hot path (docs/adr/0014). Several workers may poll:
 * each skips the rows another is expiring, and a hold leaves 'held' once.
 */
@Injectable()
export class DropHoldExpiryPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DropHoldExpiryPoller.name);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(HoldsService) private readonly holds: HoldsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.next();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  private next(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.expire().finally(() => {
        this.round = undefined;
        this.next();
      });
    }, this.config.drops.holdExpiryPollMs);
  }

  private async expire(): Promise<void> {
    try {
      const expired = await this.holds.expireDue();
      if (expired) this.logger.log(`${expired} drop holds expired`);
    } catch (error) {
      this.logger.error(`drop hold expiry failed: ${(error as Error).message}`);
    }
  }
}
