import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AcademyError } from '../errors.js';
import type { Clock } from '../ports.js';

/**
 * Sealed tokens: AES-256-GCM over a small JSON payload with an expiry, base64url. The holder can
 * neither read nor change what is inside (a learner id stays hidden from the page that carries it).
 */
export class Sealer {
  private readonly key: Buffer;

  /** `secret`: at least 16 bytes; `purpose` separates keys made from one secret. */
  constructor(
    secret: Buffer,
    purpose: string,
    private readonly clock: Clock,
  ) {
    if (secret.length < 16) throw new AcademyError(500, 'A sealing secret must be at least 16 bytes', 'secret');
    this.key = createHmac('sha256', secret).update(`academy-seal:${purpose}`).digest();
  }

  seal(payload: Record<string, unknown>, lifetimeSeconds: number): string {
    const exp = Math.floor(this.clock.now().getTime() / 1000) + lifetimeSeconds;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify({ ...payload, exp }), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The payload of a genuine, unexpired token; AcademyError 401 otherwise. */
  open(token: unknown): Record<string, unknown> {
    if (typeof token !== 'string' || token.length > 2048 || !/^[A-Za-z0-9_-]{40,}$/.test(token)) throw new AcademyError(401, 'Invalid or expired link');
    const raw = Buffer.from(token, 'base64url');
    let text: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new AcademyError(401, 'Invalid or expired link');
    }
    const payload: unknown = JSON.parse(text);
    if (typeof payload !== 'object' || payload === null || !('exp' in payload) || typeof payload.exp !== 'number') throw new AcademyError(401, 'Invalid or expired link');
    if (payload.exp <= this.clock.now().getTime() / 1000) throw new AcademyError(401, 'Invalid or expired link');
    return { ...payload };
  }
}
