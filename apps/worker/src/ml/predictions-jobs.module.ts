import { Module } from '@nestjs/common';
import { PredictionsModule } from '@app/ml';
import { PredictionsRefreshConsumer } from './predictions-refresh.consumer';
import { PredictionsProcessor, PredictionsScheduler } from './predictions.processor';

/** Worker side of next-purchase timing: nightly and per-order prediction refresh. */
@Module({
  imports: [PredictionsModule],
  providers: [PredictionsProcessor, PredictionsScheduler, PredictionsRefreshConsumer],
})
export class PredictionsJobsModule {}
