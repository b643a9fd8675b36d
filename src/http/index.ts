/**
 * The academy's HTTP toolkit, shared by every area that registers routes (admin, LRS, Direct Line,
 * LMS, the web chat page): body reading with limits, JSON replies, the record guard, the security
 * headers, errors to HTTP status, and route tables.
 */
export { readBody, readForm, readJsonBody, readText, type BodyLimit } from './body.js';
export { describeError, httpError, type HttpError } from './errors.js';
export { isRecord } from './guards.js';
export { SECURITY_HEADERS, sendJson, type Headers } from './reply.js';
export { pathParam, registerRoutes, type Route, type RouteHandler, type RouteMethod } from './routes.js';
