import { Process, Processor, getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { QUEUES } from '@app/common';
import { CampaignsService, OfferEngine } from '@app/offers';

export const CAMPAIGN_SCAN_JOB = 'scan';
/** Hourly at :40: scan triggers (days since last purchase, birthday) and offer expiry. */
export const CAMPAIGN_SCAN_CRON = '40 * * * *';

@Processor(QUEUES.campaignScan)
export class CampaignScanProcessor {
  constructor(
    @Inject(OfferEngine) private readonly engine: OfferEngine,
    @Inject(CampaignsService) private readonly campaigns: CampaignsService,
  ) {}

  @Process(CAMPAIGN_SCAN_JOB)
  async run(): Promise<{ campaigns: number; evaluated: number; expired: number }> {
    const due = await this.engine.scanCampaigns();
    let evaluated = 0;
    for (const campaign of due) evaluated += (await this.engine.scan(campaign)).length;
    const expired = await this.campaigns.expireDue();
    return { campaigns: due.length, evaluated, expired };
  }
}

@Injectable()
export class CampaignScanScheduler implements OnApplicationBootstrap {
  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(QUEUES.campaignScan), { strict: false });
    for (const job of await queue.getRepeatableJobs())
      if (job.name === CAMPAIGN_SCAN_JOB && job.cron !== CAMPAIGN_SCAN_CRON)
        await queue.removeRepeatableByKey(job.key);
    await queue.add(
      CAMPAIGN_SCAN_JOB,
      {},
      { repeat: { cron: CAMPAIGN_SCAN_CRON, tz: 'UTC' }, removeOnComplete: 20, removeOnFail: 20 },
    );
  }
}
