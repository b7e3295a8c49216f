import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DiscoveryModule } from '@nestjs/core';
import { OutboxConsumerRegistry, OutboxHandler, topicMatches } from './consumer-registry';
import type { OutboxConsumer } from './outbox.types';

const consumer = (name: string, topics: OutboxConsumer['topics']): OutboxConsumer => ({
  name,
  topics,
  handle: () => Promise.resolve(),
});

describe('topicMatches', () => {
  it('matches exact names, prefix.* patterns and *', () => {
    expect(topicMatches('*', 'anything')).toBe(true);
    expect(topicMatches(['member.registered'], 'member.registered')).toBe(true);
    expect(topicMatches(['member.registered'], 'member.deleted')).toBe(false);
    expect(topicMatches(['member.*'], 'member.deleted')).toBe(true);
    expect(topicMatches(['member.*'], 'members.deleted')).toBe(false);
    expect(topicMatches([], 'member.registered')).toBe(false);
  });
});

describe('OutboxConsumerRegistry', () => {
  it('routes a topic to every consumer subscribed to it', () => {
    const registry = new OutboxConsumerRegistry()
      .register(consumer('all', '*'))
      .register(consumer('members', ['member.*']))
      .register(consumer('orders', ['order.placed']));
    expect(registry.consumersFor('member.registered').map((c) => c.name)).toEqual([
      'all',
      'members',
    ]);
    expect(registry.consumersFor('order.placed').map((c) => c.name)).toEqual(['all', 'orders']);
  });

  it('refuses two consumers with the same name (they would share processed_messages rows)', () => {
    const registry = new OutboxConsumerRegistry().register(consumer('x', '*'));
    expect(() => registry.register(consumer('x', ['a']))).toThrow(/registered twice/);
  });

  it('discovers @OutboxHandler() providers from any module', async () => {
    @OutboxHandler()
    @Injectable()
    class PointsConsumer implements OutboxConsumer {
      readonly name = 'points';
      readonly topics = ['member.registered'];
      handle(): Promise<void> {
        return Promise.resolve();
      }
    }
    @Module({ providers: [PointsConsumer] })
    class FeatureModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule, FeatureModule],
      providers: [OutboxConsumerRegistry],
    }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(OutboxConsumerRegistry);
    expect(registry.consumersFor('member.registered').map((c) => c.name)).toEqual(['points']);
    await moduleRef.close();
  });
});
