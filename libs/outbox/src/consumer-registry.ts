import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { OutboxConsumer } from './outbox.types';

/**
 * Marks a provider class implementing `OutboxConsumer`; the registry finds it at module init.
 * Any module can contribute consumers just by providing a decorated class.
 */
export const OutboxHandler = DiscoveryService.createDecorator<Record<string, never>>();

/** True when a consumer subscribed to `topics` wants `topic`. */
export function topicMatches(topics: OutboxConsumer['topics'], topic: string): boolean {
  if (topics === '*') return true;
  return topics.some((pattern) =>
    pattern.endsWith('.*') ? topic.startsWith(pattern.slice(0, -1)) : pattern === topic,
  );
}

function isConsumer(value: unknown): value is OutboxConsumer {
  const candidate = value as Partial<OutboxConsumer> | null;
  return (
    typeof candidate?.name === 'string' &&
    typeof candidate.handle === 'function' &&
    (candidate.topics === '*' || Array.isArray(candidate.topics))
  );
}

/** The consumers a drainer delivers to: discovered `@OutboxHandler()` providers plus `register()`. */
@Injectable()
export class OutboxConsumerRegistry implements OnModuleInit {
  private readonly consumers = new Map<string, OutboxConsumer>();

  constructor(
    @Optional() @Inject(DiscoveryService) private readonly discovery?: DiscoveryService,
  ) {}

  onModuleInit(): void {
    if (!this.discovery) return;
    for (const wrapper of this.discovery.getProviders({ metadataKey: OutboxHandler.KEY })) {
      const instance: unknown = wrapper.instance;
      if (!isConsumer(instance)) {
        throw new Error(`${wrapper.name} is marked @OutboxHandler() but is not an OutboxConsumer`);
      }
      if (this.consumers.get(instance.name) !== instance) this.register(instance);
    }
  }

  register(consumer: OutboxConsumer): this {
    if (this.consumers.has(consumer.name)) {
      throw new Error(`outbox consumer "${consumer.name}" is registered twice`);
    }
    this.consumers.set(consumer.name, consumer);
    return this;
  }

  unregister(name: string): boolean {
    return this.consumers.delete(name);
  }

  list(): OutboxConsumer[] {
    return [...this.consumers.values()];
  }

  consumersFor(topic: string): OutboxConsumer[] {
    return this.list().filter((consumer) => topicMatches(consumer.topics, topic));
  }
}
