import { Module } from '@nestjs/common';

/** Staff API of campaigns and their results (logic lives in @app/offers). */
@Module({})
export class CampaignsHttpModule {}
