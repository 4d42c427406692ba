// The #auth alias: password hashing and the access declarations.
export * from './password.js';
export * from './access.decorator.js';
export * from './password-policy.js';
export * from './one-time-token.js';
export * from './secret-box.js';
export * from './api-token.js';
