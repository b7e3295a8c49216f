import { Module } from '@nestjs/common';

/** Worker side of next-purchase timing: nightly and per-order prediction refresh. */
@Module({})
export class PredictionsJobsModule {}
