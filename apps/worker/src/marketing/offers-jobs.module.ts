import { Module } from '@nestjs/common';

/** Worker side of campaigns: trigger evaluation from events and scheduled scans, delivery. */
@Module({})
export class OffersJobsModule {}
