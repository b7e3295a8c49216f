import { type ValidationOptions, ValidateIf, registerDecorator } from 'class-validator';
import { isValidBirthday } from '../members/member-profile';

/** Optional, but `null` is not a value: `undefined` skips validation, `null` fails it. */
export const IsOptionalNotNull = (options?: ValidationOptions) =>
  ValidateIf((_object, value) => value !== undefined, options);

/** An ISO date `YYYY-MM-DD` that exists, is not before 1900 and is not in the future. */
export function IsBirthday(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBirthday',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message:
          '$property must be a real date (YYYY-MM-DD), not in the future and not before 1900',
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidBirthday(value),
      },
    });
}
