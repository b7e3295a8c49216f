import { Module } from '@nestjs/common';

/** Ledger part of the loyalty context (services and repositories shared by api and worker). */
@Module({ providers: [], exports: [] })
export class LedgerModule {}
