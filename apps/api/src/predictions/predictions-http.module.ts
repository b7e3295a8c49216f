import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { PredictionsModule } from '@app/ml';
import { PredictionsController } from './predictions.controller';

/** Staff-facing member predictions and timing segments (logic lives in @app/ml). */
@Module({
  imports: [IdentityModule, PredictionsModule],
  controllers: [PredictionsController],
})
export class PredictionsHttpModule {}
