import { Module } from '@nestjs/common';

/** HTTP and socket.io surface of live drops (controllers and gateway only; logic lives in @app/drops). */
@Module({})
export class DropsHttpModule {}
