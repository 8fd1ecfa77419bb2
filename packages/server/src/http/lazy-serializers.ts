import { SerializerSelector, type SerializerCompiler, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/** Serializers compiled in this process, by what fast-json-stringify compiles them from. */
const compiled = new Map<string, (value: unknown) => string>();

/**
 * Fastify's own response serializers (fast-json-stringify), each compiled when its route first
 * answers with that status rather than all of them at start: compiling every route's took about
 * a third of a server's start-up CPU, most of it for routes a given process never answers. And
 * each once per process, by its content (the schema, the app's shared schemas and options: all a
 * serializer depends on): a process that builds several apps (the test suite builds hundreds)
 * would otherwise compile them again for each. The serializers, and so the responses, are the same.
 */
export function lazySerializers(): NonNullable<FastifyServerOptions['schemaController']> {
  const buildDefault: SerializerFactory = SerializerSelector();
  return {
    compilersFactory: {
      buildSerializer(externalSchemas: unknown, options: unknown): SerializerCompiler {
        const compile = buildDefault(externalSchemas, options as Parameters<SerializerFactory>[1]);
        return (route) => {
          let serialize: ((value: unknown) => string) | undefined;
          const compileOnce = () => {
            const key = JSON.stringify([route.schema, externalSchemas, options]);
            let found = compiled.get(key);
            if (!found) compiled.set(key, (found = compile(route)));
            return found;
          };
          return (value) => (serialize ??= compileOnce())(value);
        };
      },
    },
  };
}
