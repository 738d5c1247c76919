/** Installs the server's limits and security headers; see docs/api-guide.md, "Limits". */
import type { FastifyInstance } from 'fastify';
import type { ResolvedHardening } from './config.ts';
import { installHeaders } from './headers.ts';
import { installRateLimits } from './rate-limit.ts';

export {
  HARDENING_DEFAULTS,
  type HardeningConfig,
  type ResolvedHardening,
  resolveHardening,
} from './config.ts';
export { inlineScriptHashes } from './headers.ts';

/** Call before authentication is installed: headers and limits must apply to a 401 as well. */
export async function installHardening(app: FastifyInstance, config: ResolvedHardening): Promise<void> {
  await installHeaders(app, config);
  await installRateLimits(app, config);
}
