import { MemoryStorage, type Storage } from 'botbuilder';

/** An eTag no stored item ever has: a write with it creates the item, or fails if it exists. */
const CREATE_ONLY = 'academy-create-only';

/**
 * Which conversations have been greeted: write-once, so that two install events that race
 * (Teams sends installationUpdate and conversationUpdate together) greet once. Claims for one
 * conversation run one after another in this process, and each is a create-only storage write
 * (an eTag no item has), so a second claim fails even against another writer of the same storage.
 */
export class GreetingLedger {
  private readonly queue = new Map<string, Promise<unknown>>();

  constructor(private readonly storage: Storage = new MemoryStorage()) {}

  /** True for the first claim of this conversation, ever; false for every later one. */
  claim(conversationId: string): Promise<boolean> {
    const previous = this.queue.get(conversationId) ?? Promise.resolve();
    const run = previous.then(() => this.tryClaim(conversationId));
    const tail = run.catch(() => false);
    this.queue.set(conversationId, tail);
    void tail.then(() => {
      if (this.queue.get(conversationId) === tail) this.queue.delete(conversationId);
    });
    return run;
  }

  private async tryClaim(conversationId: string): Promise<boolean> {
    const key = `greeted/${conversationId}`;
    const found = await this.storage.read([key]);
    if (found[key]) return false;
    try {
      await this.storage.write({ [key]: { greetedAt: new Date().toISOString(), eTag: CREATE_ONLY } });
      return true;
    } catch {
      return false;
    }
  }
}
