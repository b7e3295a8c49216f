import { Module } from '@nestjs/common';
import { TiersModule } from '@app/loyalty';
import { OffersModule } from '@app/offers';
import { CampaignScanProcessor, CampaignScanScheduler } from './offers/campaign-scan.processor';
import { OfferDeliveryConsumer, OfferRedemptionConsumer } from './offers/offer-delivery.consumer';
import { OfferTriggersConsumer } from './offers/offer-triggers.consumer';

/** Worker side of campaigns: trigger evaluation from events and scheduled scans, delivery. */
@Module({
  imports: [OffersModule, TiersModule],
  providers: [
    OfferTriggersConsumer,
    OfferDeliveryConsumer,
    OfferRedemptionConsumer,
    CampaignScanProcessor,
    CampaignScanScheduler,
  ],
})
export class OffersJobsModule {}
