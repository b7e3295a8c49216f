import { Module } from '@nestjs/common';
import { LedgerModule } from '@app/loyalty';

/** HTTP surface of the loyalty ledger (controllers only; logic lives in @app/loyalty). */
@Module({ imports: [LedgerModule], controllers: [] })
export class LedgerHttpModule {}
