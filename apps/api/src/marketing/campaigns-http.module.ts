import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { OfferPurchaseBoostsModule, OffersModule } from '@app/offers';
import { CampaignsController, StorefrontOffersController } from './campaigns/campaigns.controller';

/**
 * Staff API of campaigns and their results (logic lives in @app/offers). Also makes the
 * campaigns' points multipliers visible to order ingestion in this app.
 */
@Module({
  imports: [IdentityModule, OffersModule, OfferPurchaseBoostsModule],
  controllers: [CampaignsController, StorefrontOffersController],
})
export class CampaignsHttpModule {}
