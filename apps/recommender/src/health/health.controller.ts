import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { TfRuntime } from '../tf/tf-runtime';

export class RecommenderHealthDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({
    enum: ['node', 'wasm', 'cpu'],
    description: 'TensorFlow.js backend chosen at boot',
  })
  tfBackend!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Version of the loaded model artefact; null until one is trained and loaded',
  })
  modelVersion!: string | null;
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(@Inject(TfRuntime) private readonly tf: TfRuntime) {}

  @Get('health')
  @ApiOperation({
    summary: 'Liveness, with the TensorFlow.js backend and the loaded model version',
  })
  @ApiOkResponse({ type: RecommenderHealthDto })
  health(): RecommenderHealthDto {
    return { status: 'ok', tfBackend: this.tf.backend.backend, modelVersion: null };
  }
}
