import { SerializerSelector, type SerializerCompiler, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify's own response serializers (fast-json-stringify), each compiled when its route first
 * answers with that status rather than all of them at start: compiling every route's took about
 * a third of a server's start-up CPU, most of it for routes a given process never answers. The
 * serializers, and so the responses, are the same.
 */
export function lazySerializers(): NonNullable<FastifyServerOptions['schemaController']> {
  const buildDefault: SerializerFactory = SerializerSelector();
  return {
    compilersFactory: {
      buildSerializer(externalSchemas: unknown, options: unknown): SerializerCompiler {
        const compile = buildDefault(externalSchemas, options as Parameters<SerializerFactory>[1]);
        return (route) => {
          let serialize: ((value: unknown) => string) | undefined;
          return (value) => (serialize ??= compile(route))(value);
        };
      },
    },
  };
}
