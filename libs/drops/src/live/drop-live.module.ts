import { Global, Module } from '@nestjs/common';
import { ModerationModule } from '@app/community';
import { SocketEmitter } from '@app/outbox';
import { DropsModule } from '../drops.module';
import { DROP_STOCK_CHANGED, type DropStockChanged } from '../reservations/drop-stock-notifier';
import { ChatRateLimiter } from './chat-rate-limiter';
import { DropAnnouncementsService } from './drop-announcements.service';
import { DropChatService } from './drop-chat.service';
import { DropLiveRepository } from './drop-live.repository';
import { DropPresenceService } from './drop-presence.service';
import { DropRoomEmitter } from './drop-room.emitter';
import { DropRoomService } from './drop-room.service';
import { DropStockBroadcaster } from './drop-stock.broadcaster';

/**
 * Live stock pushes. Global so that DropsModule's DropStockNotifier (which the reservation,
 * hold-expiry and raffle paths call) finds the DROP_STOCK_CHANGED callback in whichever app
 * imports this module once: the api does (through DropLiveModule); the worker should too, so
 * expiries handled there are pushed as well.
 */
@Global()
@Module({
  imports: [DropsModule],
  providers: [
    SocketEmitter,
    DropRoomEmitter,
    DropStockBroadcaster,
    {
      provide: DROP_STOCK_CHANGED,
      inject: [DropStockBroadcaster],
      useFactory:
        (broadcaster: DropStockBroadcaster): DropStockChanged =>
        (brandId, dropId, skuId) =>
          broadcaster.changed(brandId, dropId, skuId),
    },
  ],
  exports: [DropRoomEmitter, DropStockBroadcaster, DROP_STOCK_CHANGED],
})
export class DropStockBroadcastModule {}

/**
 * The live room of drops (presence, chat, announcements) for the api's gateway and controllers.
 * Needs the global ConfigModule, DbModule, RedisModule and OutboxModule.
 */
@Module({
  imports: [ModerationModule, DropsModule, DropStockBroadcastModule],
  providers: [
    DropLiveRepository,
    ChatRateLimiter,
    DropPresenceService,
    DropChatService,
    DropRoomService,
    DropAnnouncementsService,
  ],
  exports: [DropRoomService, DropChatService, DropAnnouncementsService, DropPresenceService],
})
export class DropLiveModule {}
