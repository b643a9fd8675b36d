import { loadConfig } from '../../src/config.js';
import { startAcademy, type Academy } from '../../src/main.js';
import { tempDir } from './bot.js';

/** The whole academy, in process, on a free port with a fresh DATA_DIR. */
export async function startTestAcademy(env: Record<string, string> = {}): Promise<Academy & { dataDir: string }> {
  const dataDir = env.DATA_DIR ?? tempDir('academy-e2e-');
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env });
  const academy = await startAcademy(config, { log: () => undefined });
  return Object.assign(academy, { dataDir });
}

export function basicAuth(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

/** The academy again on the same port and DATA_DIR as `before`, as after a restart. */
export async function restartTestAcademy(before: Academy & { dataDir: string }, env: Record<string, string> = {}): Promise<Academy & { dataDir: string }> {
  const port = new URL(before.url).port;
  await before.close();
  return startTestAcademy({ ...env, PORT: port, DATA_DIR: before.dataDir });
}
