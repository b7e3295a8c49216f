import 'reflect-metadata';
import { ValidationError } from '@app/common';
import { RecommendationsQueryDto } from '@app/ml';
import { MemoizedQueryPipe } from './memoized-query.pipe';

const query = { type: 'query' as const, metatype: Object, data: undefined };

describe('MemoizedQueryPipe', () => {
  it('transforms like the validation pipe and hands the same frozen DTO to a repeated query', async () => {
    const pipe = new MemoizedQueryPipe(RecommendationsQueryDto);
    const first = await pipe.transform({ limit: '5', exclude_purchased: 'true' }, query);
    expect(first).toBeInstanceOf(RecommendationsQueryDto);
    expect(first).toEqual({ limit: 5, exclude_purchased: true });
    expect(Object.isFrozen(first)).toBe(true);
    expect(await pipe.transform({ limit: '5', exclude_purchased: 'true' }, query)).toBe(first);
    expect(await pipe.transform({ limit: '6' }, query)).toEqual({ limit: 6 });
  });

  it('rejects a bad query every time (errors are not remembered)', async () => {
    const pipe = new MemoizedQueryPipe(RecommendationsQueryDto);
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ limit: '0' }, query)).rejects.toBeInstanceOf(ValidationError);
      await expect(pipe.transform({ colour: 'red' }, query)).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
  });

  it('an empty query string is valid and yields the defaults', async () => {
    const pipe = new MemoizedQueryPipe(RecommendationsQueryDto);
    expect(await pipe.transform({}, query)).toEqual({});
  });
});
