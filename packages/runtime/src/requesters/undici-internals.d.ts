// Deep imports of undici (see undici-core.ts); typed there from undici's public types.
declare module 'undici/lib/dispatcher/agent.js';
declare module 'undici/lib/interceptor/redirect.js';
declare module 'undici/lib/api/api-request.js';
