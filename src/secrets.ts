import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
/** A 32-byte key kept in a file in DATA_DIR (mode 0600; see dataPaths), made at first use. */
export function dataKey(file: string): Buffer {
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64url'), { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
