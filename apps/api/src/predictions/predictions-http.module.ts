import { Module } from '@nestjs/common';

/** Staff-facing member predictions and timing segments (logic lives in @app/ml). */
@Module({})
export class PredictionsHttpModule {}
