import 'reflect-metadata';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { CONTROL_CONTROLLERS } from './control.controllers';
import { OPENAPI_DOCUMENT } from './openapi';

/** `METHOD /path` of every route the controllers declare, path parameters written as OpenAPI does. */
function declaredRoutes(): string[] {
  return CONTROL_CONTROLLERS.flatMap((controller) => {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
    return Object.getOwnPropertyNames(controller.prototype).flatMap((name) => {
      const handler = (controller.prototype as unknown as Record<string, object>)[name]!;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) return [];
      const path = [base, Reflect.getMetadata(PATH_METADATA, handler) as string].filter((p) => p && p !== '/').join('/');
      return [`${RequestMethod[method]} /${path.replace(/:([A-Za-z]+)/g, '{$1}')}`];
    });
  });
}

describe('the OpenAPI document', () => {
  it('documents every route of the control API, and no other', () => {
    const documented = Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(declaredRoutes().sort());
  });

  it('resolves every schema reference', () => {
    const refs = [...JSON.stringify(OPENAPI_DOCUMENT).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const name of new Set(refs)) expect(OPENAPI_DOCUMENT.components.schemas, name).toHaveProperty(name);
  });
});
