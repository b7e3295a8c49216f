import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { RealtimeGateway } from './realtime.gateway';

/** The socket.io gateway (the Redis adapter itself is installed in configure-app.ts). */
@Module({ imports: [IdentityModule], providers: [RealtimeGateway] })
export class RealtimeModule {}
