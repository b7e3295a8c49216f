import { Module } from '@nestjs/common';
import { CommunitiesModule } from '@app/community';
import { IdentityModule } from '@app/identity';
import { RealtimeGateway } from './realtime.gateway';

/**
 * The socket.io gateway (the Redis adapter itself is installed in configure-app.ts);
 * CommunitiesModule decides who may join `community:<id>` rooms.
 */
@Module({ imports: [IdentityModule, CommunitiesModule], providers: [RealtimeGateway] })
export class RealtimeModule {}
