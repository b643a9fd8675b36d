import { AcademyError } from '../errors.js';
import { isRecord } from '../http/index.js';
import type { Log } from './http.js';
import type { TokenResponse } from './types.js';

export const DEFAULT_AZURE_DIRECT_LINE_ENDPOINT = 'https://directline.botframework.com';

/** Exchanges the Direct Line secret for a token at Azure: `POST {endpoint}/v3/directline/tokens/generate`. */
export async function exchangeAzureSecret(azure: { secret: string; endpoint: string }, userId: string, log: Log): Promise<TokenResponse> {
  let response: globalThis.Response;
  try {
    response = await fetch(`${azure.endpoint}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${azure.secret}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    log(`directline: could not reach Azure Direct Line at ${azure.endpoint}: ${error instanceof Error ? error.message : String(error)}`);
    throw new AcademyError(502, 'Could not start the chat service');
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    log(`directline: Azure Direct Line token exchange failed with HTTP ${response.status}: ${text.slice(0, 200)}`);
    throw new AcademyError(502, 'Could not start the chat service');
  }
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    body = undefined;
  }
  if (!isRecord(body) || typeof body.token !== 'string' || typeof body.conversationId !== 'string') {
    log('directline: Azure Direct Line token exchange returned an unexpected body');
    throw new AcademyError(502, 'Could not start the chat service');
  }
  return {
    token: body.token,
    conversationId: body.conversationId,
    expires_in: typeof body.expires_in === 'number' ? body.expires_in : 1800,
    domain: `${azure.endpoint}/v3/directline`,
  };
}
