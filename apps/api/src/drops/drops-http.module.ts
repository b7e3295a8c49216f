import { Module } from '@nestjs/common';
import { DropLiveModule, DropsModule } from '@app/drops';
import { IdentityModule } from '@app/identity';
import { AnnouncementsController } from './announcements.controller';
import { DropRoomGateway } from './drop-room.gateway';
import { DropsController } from './drops.controller';
import { RaffleController } from './raffle.controller';
import { ReservationsController } from './reservations.controller';

/** HTTP and socket.io surface of live drops (controllers and gateway only; logic lives in @app/drops). */
@Module({
  // IdentityModule: the auth guards of the controllers.
  imports: [IdentityModule, DropLiveModule, DropsModule],
  controllers: [AnnouncementsController, DropsController, ReservationsController, RaffleController],
  providers: [DropRoomGateway],
})
export class DropsHttpModule {}
