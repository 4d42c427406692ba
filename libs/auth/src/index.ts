export * from './password.js';
export * from './access.decorator.js';
