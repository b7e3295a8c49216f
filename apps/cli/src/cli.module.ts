import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { IdentityModule } from '@app/identity';
import { OutboxModule } from '@app/outbox';

/** The services operator commands need, without HTTP, queues or sockets. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), DbModule, OutboxModule, IdentityModule],
    };
  }
}
