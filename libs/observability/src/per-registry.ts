import type { Registry } from 'prom-client';

/**
 * One instance per registry, made on first use: a metric registered twice under one name throws,
 * so every caller in a process (a module, an adapter, a wrapper) must share the same instance.
 */
export function perRegistry<T>(create: (registry: Registry) => T): (registry: Registry) => T {
  const instances = new WeakMap<Registry, T>();
  return (registry) => {
    let instance = instances.get(registry);
    if (instance === undefined) {
      instance = create(registry);
      instances.set(registry, instance);
    }
    return instance;
  };
}
