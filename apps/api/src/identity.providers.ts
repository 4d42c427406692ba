// Identity's controllers and providers in the API (docs/identity.md), registered by ApiModule in one line each.
import { ApiTokensController } from './http/api-tokens.controller.js';
import { AuthRecoveryController } from './http/auth-recovery.controller.js';
import { BearerAuth } from './shared/bearer-actor.js';
import { resetLimiterProvider } from './shared/reset-limiter.js';

export const IDENTITY_API_CONTROLLERS = [AuthRecoveryController, ApiTokensController];

export const IDENTITY_PROVIDERS = [resetLimiterProvider, BearerAuth];
