import { Module } from '@nestjs/common';
import { PredictionsRepository } from './predictions.repository';
import { PredictionsService } from './predictions.service';

/** Next-purchase timing for the apps: member predictions, refits and segments. */
@Module({
  providers: [PredictionsRepository, PredictionsService],
  exports: [PredictionsService],
})
export class PredictionsModule {}
