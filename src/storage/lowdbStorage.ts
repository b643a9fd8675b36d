import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Storage, StoreItems } from 'botbuilder';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { AcademyError } from '../errors.js';

interface Data {
  items: Record<string, { eTag: string; value: Record<string, unknown> }>;
  nextETag: number;
}

/**
 * Bot state (UserState, ConversationState) in one lowdb JSON file. Optimistic concurrency as
 * the Bot Framework storages do it: a write whose eTag is not '*' and does not match the
 * stored one fails with 412, so two turns cannot silently overwrite each other.
 */
export class LowdbStorage implements Storage {
  private readonly db: Low<Data>;
  private ready: Promise<void> | undefined;
  /** Writes go one at a time so each file write holds every change before it. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Low<Data>(new JSONFile<Data>(file), { items: {}, nextETag: 1 });
  }

  private open(): Promise<void> {
    this.ready ??= this.db.read();
    return this.ready;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async read(keys: string[]): Promise<StoreItems> {
    await this.open();
    const out: StoreItems = {};
    for (const key of keys) {
      const item = this.db.data.items[key];
      if (item) out[key] = { ...structuredClone(item.value), eTag: item.eTag };
    }
    return out;
  }

  write(changes: StoreItems): Promise<void> {
    return this.serial(async () => {
      await this.open();
      const items = this.db.data.items;
      for (const [key, change] of Object.entries(changes)) {
        const given: unknown = change?.eTag;
        const current = items[key];
        if (given !== undefined && given !== '*' && current && current.eTag !== given) {
          throw new AcademyError(412, `Storage: eTag conflict writing "${key}"`, key);
        }
      }
      for (const [key, change] of Object.entries(changes)) {
        const { eTag: _ignored, ...value } = (change ?? {}) as Record<string, unknown>;
        items[key] = { eTag: String(this.db.data.nextETag++), value: structuredClone(value) };
      }
      await this.db.write();
    });
  }

  delete(keys: string[]): Promise<void> {
    return this.serial(async () => {
      await this.open();
      for (const key of keys) delete this.db.data.items[key];
      await this.db.write();
    });
  }

  /** Keys that start with a prefix: used to erase all of one learner's state. */
  async keys(prefix: string): Promise<string[]> {
    await this.open();
    return Object.keys(this.db.data.items).filter((k) => k.startsWith(prefix));
  }
}
