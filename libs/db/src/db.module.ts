import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { DatabaseClient } from './database';

@Injectable()
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DatabaseClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new DatabaseClient({ connectionString: config.db.url, max: config.db.poolMax }),
    },
    DatabaseShutdown,
  ],
  exports: [DatabaseClient],
})
export class DbModule {}
