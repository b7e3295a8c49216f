import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { LedgerModule } from '@app/loyalty';
import { LoyaltyProgramController } from './ledger/loyalty-program.controller';
import { MemberPointsController } from './ledger/member-points.controller';
import { MePointsController } from './ledger/me-points.controller';

/** HTTP surface of the loyalty ledger (controllers only; logic lives in @app/loyalty). */
@Module({
  // IdentityModule: the auth guards of the controllers.
  imports: [IdentityModule, LedgerModule],
  controllers: [MePointsController, MemberPointsController, LoyaltyProgramController],
})
export class LedgerHttpModule {}
