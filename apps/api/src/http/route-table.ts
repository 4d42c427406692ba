// Every API route with its access rule, read from Nest's metadata: the authorization tests are generated from it.
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ACCESS_METADATA, type AccessRule } from '#auth';

export interface RouteInfo {
  method: string;
  path: string;
  controller: string;
  handler: string;
  access: AccessRule | undefined;
}

/** Every route of the given controllers with its access rule, read from Nest's own metadata. */
export function routeTable(controllers: readonly Type[]): RouteInfo[] {
  return controllers.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const classRule = Reflect.getMetadata(ACCESS_METADATA, controller) as AccessRule | undefined;
    return Object.getOwnPropertyNames(controller.prototype)
      .filter((name) => name !== 'constructor')
      .flatMap((name) => {
        // Getters are not handlers (and reading one off the prototype would run it without an instance).
        const handler = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value as unknown;
        if (typeof handler !== 'function') return [];
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) return [];
        const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
        const path = ('/' + [base, sub].filter((p) => p && p !== '/').join('/')).replace(/\/+/g, '/');
        return [
          {
            method: RequestMethod[method],
            path,
            controller: controller.name,
            handler: name,
            access: (Reflect.getMetadata(ACCESS_METADATA, handler) as AccessRule | undefined) ?? classRule,
          },
        ];
      });
  });
}
