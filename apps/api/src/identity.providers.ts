// Identity's controllers and providers in the API (docs/identity.md), registered by ApiModule in one line each.
import { AuthRecoveryController } from './http/auth-recovery.controller.js';
import { resetLimiterProvider } from './http/reset-limiter.js';

export const IDENTITY_API_CONTROLLERS = [AuthRecoveryController];

export const IDENTITY_PROVIDERS = [resetLimiterProvider];
