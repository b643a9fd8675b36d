import type { Request, Response, Server } from 'restify';
import { isRecord } from './guards.js';

/** An async route handler (no `next`): it writes the whole response itself. */
export type RouteHandler = (req: Request, res: Response) => Promise<void>;
export type RouteMethod = 'get' | 'head' | 'post' | 'put' | 'del' | 'opts';

/** One row of an area's route table. */
export interface Route {
  /** One method, or several sharing the handler (GET and HEAD). */
  readonly method: RouteMethod | readonly RouteMethod[];
  readonly path: string;
  readonly handler: RouteHandler;
}

/** Registers an area's route table on the server, in order. */
export function registerRoutes(server: Server, routes: readonly Route[]): void {
  for (const route of routes) {
    const methods: readonly RouteMethod[] = typeof route.method === 'string' ? [route.method] : route.method;
    for (const method of methods) server[method](route.path, route.handler);
  }
}

/** A path parameter of the request ('' when absent or not a string). */
export function pathParam(req: Request, name: string): string {
  const params: unknown = req.params;
  const value = isRecord(params) ? params[name] : undefined;
  return typeof value === 'string' ? value : '';
}
