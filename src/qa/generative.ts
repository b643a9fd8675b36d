/**
 * Optional generative answers: an OpenAI or Azure OpenAI chat model rewrites the top
 * retrieved passages into a short plain-English answer for this question, citing them as
 * [1], [2]. It is an improvement on the retrieval answer, never a replacement for safety:
 *
 * - Only in-scope questions reach the model. The caller passes its triage verdict AND the
 *   answerer runs its own safety screen on the question; both must say 'in-scope', so an
 *   emergency or clinical question cannot be sent by mistake.
 * - Personal details (emails, phone and NHS numbers, postcodes) are taken out of the
 *   question first; no user id is sent.
 * - The reply must be grounded: not the NO_ANSWER sentinel, at least one citation, only
 *   citations of passages that were given, no invented web address, not cut short.
 * - Any failure (not grounded, timeout — 8 s by default —, HTTP error, network error)
 *   gives `undefined`: the caller shows the retrieval answer. Nothing here throws.
 */
import OpenAI, { AzureOpenAI } from 'openai';
import type { GenerativeConfig } from '../config.js';
import type { AskSource } from './engine.js';
import { ground, redact, type Citation } from './generative-grounding.js';
import { MAX_QUESTION_CHARS, NO_ANSWER, SYSTEM_PROMPT, userMessage, type GroundingPassage } from './generative-prompt.js';
import type { TriageKind } from './triage.js';

export type { Citation } from './generative-grounding.js';
export { passageFromLesson, NO_ANSWER, type GroundingPassage } from './generative-prompt.js';

/** A triage verdict; `TriageResult` from src/qa/triage.ts is one. */
export interface SafetyVerdict {
  readonly kind: TriageKind;
}

/** The answerer's own safety screen; the `Triage` class of src/qa/triage.ts is one. */
export interface SafetyScreen {
  assess(text: string): SafetyVerdict;
}

export interface AnswerOptions {
  /** Use a streamed chat completion and report text as it arrives. */
  readonly stream?: boolean;
  /**
   * Called with each new piece of text while streaming. The pieces are unchecked model
   * text: show them as a draft only; the returned answer (or `undefined`) is what counts.
   * A reply that starts like the NO_ANSWER sentinel is held back.
   */
  readonly onDelta?: (text: string) => void;
  /** Cancels the request (for example when the user leaves). */
  readonly signal?: AbortSignal;
}

/** A grounded answer. */
export interface GenerativeAnswer {
  /** Markdown with citations [n] that match `citations`. */
  readonly text: string;
  /** The cited passages, in order of first citation. */
  readonly citations: readonly Citation[];
  /** The cited passages' sources, without repeats, in citation order. */
  readonly sources: readonly AskSource[];
  /** The first cited passage's topic. */
  readonly topic: string;
  /** Model (OpenAI) or deployment (Azure) that wrote it. */
  readonly model: string;
}

/** Why an answer was not used; for logs and tests, never shown to users. */
export type Fallback = 'not-in-scope' | 'no-passages' | 'empty-question' | 'not-grounded' | 'cut-short' | 'timeout' | 'error' | 'cancelled';

export interface GenerativeAnswererOptions {
  /** An `OpenAI` or `AzureOpenAI` client (see `createChatClient`). */
  readonly client: OpenAI;
  /** Model name; for Azure the deployment name. */
  readonly model: string;
  /** Runs on every question before the model is called. */
  readonly screen: SafetyScreen;
  /** Whole-request budget, streaming included. Default 8000 ms. */
  readonly timeoutMs?: number;
  /** Passages sent, best first. Default 3. */
  readonly maxPassages?: number;
  /** Default 500. */
  readonly maxTokens?: number;
  /** Told why a question fell back to retrieval; never given the question text. */
  readonly log?: (fallback: Fallback, detail: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 8000;

export class GenerativeAnswerer {
  private readonly timeoutMs: number;
  private readonly maxPassages: number;
  private readonly maxTokens: number;

  constructor(private readonly options: GenerativeAnswererOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxPassages = options.maxPassages ?? 3;
    this.maxTokens = options.maxTokens ?? 500;
  }

  get model(): string {
    return this.options.model;
  }

  /**
   * A grounded answer to `question` from `passages` (best first), or `undefined` when the
   * retrieval answer should be used. `verdict` is the caller's triage of this question.
   */
  async answer(question: string, verdict: SafetyVerdict, passages: readonly GroundingPassage[], options: AnswerOptions = {}): Promise<GenerativeAnswer | undefined> {
    const q = question.trim();
    if (q === '') return this.fallback('empty-question', 'empty question');
    // Safety first, twice: the caller's verdict and our own screen. Neither may be skipped.
    if (verdict.kind !== 'in-scope') return this.fallback('not-in-scope', `caller triage: ${verdict.kind}`);
    const own = this.options.screen.assess(q).kind;
    if (own !== 'in-scope') return this.fallback('not-in-scope', `screen: ${own}`);
    const given = passages.slice(0, this.maxPassages).filter((p) => p.text.trim() !== '');
    if (given.length === 0) return this.fallback('no-passages', 'no passages');

    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: userMessage(redact(q).slice(0, MAX_QUESTION_CHARS), given) },
    ];
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const cancel = () => controller.abort();
    options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      if (options.signal?.aborted) return this.fallback('cancelled', 'cancelled before the request');
      const reply = options.stream ? await this.streamed(messages, controller.signal, options.onDelta) : await this.single(messages, controller.signal);
      if (reply.finish === 'length') return this.fallback('cut-short', 'the reply hit the token limit');
      if (reply.finish === 'content_filter') return this.fallback('not-grounded', 'content filter');
      const g = ground(reply.text, given);
      if (!g.ok) return this.fallback('not-grounded', g.reason);
      return { text: g.text, citations: g.citations, sources: g.sources, topic: g.citations[0]!.topic, model: this.options.model };
    } catch (e) {
      if (timedOut || e instanceof OpenAI.APIConnectionTimeoutError) return this.fallback('timeout', `no complete reply within ${this.timeoutMs} ms`);
      if (options.signal?.aborted) return this.fallback('cancelled', 'cancelled');
      return this.fallback('error', describe(e));
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
    }
  }

  private async single(messages: OpenAI.Chat.ChatCompletionMessageParam[], signal: AbortSignal): Promise<Reply> {
    const completion = await this.options.client.chat.completions.create(
      { model: this.options.model, messages, temperature: 0.2, max_tokens: this.maxTokens },
      { signal, maxRetries: 0, timeout: this.timeoutMs + 1000 },
    );
    const choice = completion.choices[0];
    return { text: choice?.message.content ?? '', finish: choice?.finish_reason ?? null };
  }

  private async streamed(messages: OpenAI.Chat.ChatCompletionMessageParam[], signal: AbortSignal, onDelta?: (text: string) => void): Promise<Reply> {
    const stream = await this.options.client.chat.completions.create(
      { model: this.options.model, messages, temperature: 0.2, max_tokens: this.maxTokens, stream: true },
      { signal, maxRetries: 0, timeout: this.timeoutMs + 1000 },
    );
    let text = '';
    let shown = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice === undefined) continue;
      if (choice.finish_reason) finish = choice.finish_reason;
      const piece = choice.delta?.content;
      if (!piece) continue;
      text += piece;
      // Hold back anything that could still turn out to be the sentinel.
      const head = text.trimStart();
      if (onDelta === undefined || (head.length < NO_ANSWER.length && NO_ANSWER.startsWith(head)) || head.startsWith(NO_ANSWER)) continue;
      onDelta(text.slice(shown));
      shown = text.length;
    }
    return { text, finish };
  }

  private fallback(reason: Fallback, detail: string): undefined {
    this.options.log?.(reason, detail);
    return undefined;
  }
}

interface Reply {
  readonly text: string;
  readonly finish: string | null;
}

function describe(e: unknown): string {
  if (e instanceof OpenAI.APIError) return `HTTP ${e.status ?? '?'}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/** The client for the configured provider, or `undefined` when generative answers are off. */
export function createChatClient(config: GenerativeConfig): { client: OpenAI; model: string } | undefined {
  // Everything is passed explicitly so that stray OPENAI_* variables in the environment
  // (organisation, project, base URL) cannot change where questions go.
  const common = { maxRetries: 0, organization: null, project: null } as const;
  if (config.provider === 'openai') {
    return { client: new OpenAI({ ...common, apiKey: config.apiKey, baseURL: config.baseUrl }), model: config.model };
  }
  if (config.provider === 'azure') {
    const client = new AzureOpenAI({
      ...common,
      apiKey: config.apiKey,
      baseURL: `${config.endpoint.replace(/\/+$/, '')}/openai`,
      deployment: config.deployment,
      apiVersion: config.apiVersion,
    });
    return { client, model: config.deployment };
  }
  return undefined;
}

/** The answerer for the configured provider, or `undefined` when generative answers are off. */
export function createGenerativeAnswerer(config: GenerativeConfig, deps: Omit<GenerativeAnswererOptions, 'client' | 'model'>): GenerativeAnswerer | undefined {
  const made = createChatClient(config);
  return made === undefined ? undefined : new GenerativeAnswerer({ ...deps, ...made });
}
