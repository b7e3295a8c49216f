import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { LedgerModule, RewardsModule } from '@app/loyalty';
import { SegmentsModule } from '@app/segments';
import { CampaignResultsService } from './campaign-results.service';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';
import { OfferEngine } from './offer-engine.service';
import { OffersRepository } from './offers.repository';

const exported = [
  CampaignsService,
  CampaignResultsService,
  OfferEngine,
  OffersRepository,
  CampaignsRepository,
];

/** Campaigns, the offer engine and measurement (shared by api and worker). */
@Module({
  imports: [IdentityModule, LedgerModule, RewardsModule, SegmentsModule],
  providers: [CampaignsRepository, OffersRepository, ...exported],
  exports: [...exported, SegmentsModule],
})
export class OffersModule {}
