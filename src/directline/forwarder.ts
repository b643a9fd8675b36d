import { FORWARD_HEADER, signForward } from '../security/localForward.js';
import type { Activity } from './conversations.js';
import type { Log } from './http.js';

/**
 * Delivers activities to the bot's endpoint, one at a time per conversation (so a turn sees the
 * state the previous one left), without holding up the HTTP response to Web Chat.
 */
export class BotForwarder {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly endpoint: string,
    private readonly timeoutMs: number,
    private readonly log: Log,
    private readonly signingKey: Buffer,
  ) {}

  enqueue(conversationId: string, activity: Activity & { readonly serviceUrl: string }): void {
    const previous = this.tails.get(conversationId) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(activity));
    this.tails.set(conversationId, next);
    void next.finally(() => {
      if (this.tails.get(conversationId) === next) this.tails.delete(conversationId);
    });
  }

  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }

  private async deliver(activity: Activity): Promise<void> {
    const what = `${activity.type} ${activity.id ?? ''}`.trim();
    try {
      const body = JSON.stringify(activity);
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8', [FORWARD_HEADER]: signForward(this.signingKey, body) },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        this.log(`directline: the bot answered HTTP ${response.status} to ${what}${text ? `: ${text.slice(0, 200)}` : ''}`);
      } else {
        await response.body?.cancel();
      }
    } catch (error) {
      this.log(`directline: could not deliver ${what} to the bot at ${this.endpoint}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
