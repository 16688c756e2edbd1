export { ROLES, PERMISSIONS, allowed, type Role, type Permission } from './roles.js';
export { JwtVerifier, ALLOWED_ALGORITHMS, type VerifierOptions, type Principal } from './jwt-verifier.js';
export { StaticKey, JwksKeys, type KeySource } from './key-source.js';
export { requirePermission } from './route-guard.js';
export * from './errors.js';
export { verifierFor, type SecuritySettings } from './verifier-for.js';
export { ServiceToken, type TokenLog, type ServiceAccountSettings } from './service-token.js';
