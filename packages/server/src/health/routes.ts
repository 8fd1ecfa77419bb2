import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Services } from '../services.js';

const HealthBody = Type.Object({ status: Type.String() });

export const healthRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/healthz', { config: { requires: 'public' }, schema: { tags: ['Health'], summary: 'The process is up', response: { 200: HealthBody } }, logLevel: 'warn' }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    {
      config: { requires: 'public' },
      schema: { tags: ['Health'], summary: 'The database answers', response: { 200: HealthBody, 503: HealthBody } },
      logLevel: 'warn',
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(services.database.db);
        return { status: 'ready' };
      } catch {
        return reply.status(503).send({ status: 'database unavailable' });
      }
    },
  );
};
