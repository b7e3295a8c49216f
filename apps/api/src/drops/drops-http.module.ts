import { Module } from '@nestjs/common';
import { DropsModule } from '@app/drops';
import { IdentityModule } from '@app/identity';
import { DropsController } from './drops.controller';
import { RaffleController } from './raffle.controller';
import { ReservationsController } from './reservations.controller';

/** HTTP and socket.io surface of live drops (controllers and gateway only; logic lives in @app/drops). */
@Module({
  // IdentityModule: the auth guards of the controllers.
  imports: [IdentityModule, DropsModule],
  controllers: [DropsController, ReservationsController, RaffleController],
})
export class DropsHttpModule {}
