import type { Request, Response } from 'restify';
import type { ChatLearner } from '../identity/index.js';
import type { Clock, IdGenerator } from '../ports.js';
import type { ConversationStore } from './conversations.js';
import type { Log } from './http.js';
import type { TokenService } from './tokens.js';

export interface DirectLineDeps {
  /** The bot's messaging endpoint, e.g. http://localhost:3978/api/messages. */
  readonly botEndpoint: string;
  /** How the bot reaches this server, e.g. http://localhost:3978; the serviceUrl is under it. */
  readonly selfBaseUrl: string;
  /** HMAC key of the local Direct Line tokens (at least 16 bytes). */
  readonly tokenSecret: Buffer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The bot's id in activities; default "academy-bot". */
  readonly botId?: string;
  /** The bot's display name in activities; default "Digital Skills Academy". */
  readonly botName?: string;
  /** Set to use Azure Bot Service's Direct Line instead of the local one. */
  readonly azure?: { readonly secret: string; readonly endpoint?: string };
  /** Default 1800 (30 minutes). */
  readonly tokenLifetimeSeconds?: number;
  readonly maxConversations?: number;
  readonly maxActivitiesPerConversation?: number;
  readonly conversationIdleMs?: number;
  /** How long one delivery to the bot may take; default 30 s. */
  readonly botTimeoutMs?: number;
  /** Where failures (bot errors, Azure errors) are reported; default console.warn. */
  readonly log?: Log;
  /** Who a token is for: the learner cookie, or a signed LMS launch. The page never names a learner. */
  readonly identity: ChatIdentity;
  /** Tokens (each a new conversation) per minute, per IP address and per learner. */
  readonly rateLimits?: { readonly perIp: number; readonly perLearner: number; readonly trustProxy?: boolean };
}

/** Resolves the learner of a token request (and may set their cookie on the response). */
export interface ChatIdentity {
  learnerFor(req: Request, res: Response, launch: unknown): ChatLearner;
}

export interface DirectLine {
  readonly mode: 'local' | 'azure';
  /** The serviceUrl given to the bot: `{selfBaseUrl}/directline/connector`. */
  readonly serviceUrl: string;
  readonly conversations: ConversationStore;
  readonly tokens: TokenService;
  /** Origins the browser must reach besides the page's own: Azure's Direct Line in Azure mode (for the page's CSP connect-src). */
  readonly browserOrigins: readonly string[];
  /** Resolves once every activity forwarded to the bot so far has been delivered or has failed. */
  idle(): Promise<void>;
}

/** The body of `POST /api/directline/token` (no user id: Web Chat reads its alias from the token). */
export interface TokenResponse {
  readonly token: string;
  readonly conversationId: string;
  readonly expires_in: number;
  /** Present in Azure mode: the Direct Line base URL Web Chat must use. */
  readonly domain?: string;
}
