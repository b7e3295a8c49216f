import { Module } from '@nestjs/common';

/** Serves the built brand console (web app) under /console. */
@Module({})
export class ConsoleHttpModule {}
