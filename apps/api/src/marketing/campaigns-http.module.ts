import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { OffersModule } from '@app/offers';
import { CampaignsController, StorefrontOffersController } from './campaigns/campaigns.controller';

/** Staff API of campaigns and their results (logic lives in @app/offers). */
@Module({
  imports: [IdentityModule, OffersModule],
  controllers: [CampaignsController, StorefrontOffersController],
})
export class CampaignsHttpModule {}
