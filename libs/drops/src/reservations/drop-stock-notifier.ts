import { Inject, Injectable, Logger, Optional } from '@nestjs/common';

/** Called after every reservation, release and confirmation (the live room coalesces pushes). */
export type DropStockChanged = (brandId: string, dropId: string, skuId: string) => void;
export const DROP_STOCK_CHANGED = Symbol('DROP_STOCK_CHANGED');

/** Forwards stock changes to the live room's broadcaster when one is provided (api only). */
@Injectable()
export class DropStockNotifier {
  private readonly logger = new Logger(DropStockNotifier.name);

  constructor(
    @Optional() @Inject(DROP_STOCK_CHANGED) private readonly listener?: DropStockChanged,
  ) {}

  changed(brandId: string, dropId: string, skuId: string): void {
    if (!this.listener) return;
    try {
      this.listener(brandId, dropId, skuId);
    } catch (error) {
      // A broadcast problem never fails a sale.
      this.logger.warn(`stock broadcast failed: ${(error as Error).message}`);
    }
  }
}
