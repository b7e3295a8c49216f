import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ValidationError } from '@app/common';

/**
 * Validates a UUID path/query parameter and fails with the standard 400 error body (a malformed id
 * would otherwise reach Postgres and come back as a 500).
 */
@Injectable()
export class ParseUuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const name = metadata.data ?? 'id';
    if (typeof value !== 'string' || !isUUID(value)) {
      throw new ValidationError(`${name} must be a UUID`, {
        fields: { [name]: ['must be a UUID'] },
      });
    }
    return value.toLowerCase();
  }
}
