import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { TiersModule } from '@app/loyalty';
import { MemberTierController } from './tiers/member-tier.controller';
import { TiersController } from './tiers/tiers.controller';
import { WebhooksController } from './tiers/webhooks.controller';

/** HTTP surface of the loyalty tiers and brand webhooks (controllers only; logic in @app/loyalty). */
@Module({
  imports: [IdentityModule, TiersModule],
  controllers: [TiersController, MemberTierController, WebhooksController],
})
export class TiersHttpModule {}
