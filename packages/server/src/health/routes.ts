import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { databaseAnswers } from '../db/database.js';

const HealthBody = Type.Object({ status: Type.String() });

export const healthRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'database'> }> = async (app, { services }) => {
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
      if (await databaseAnswers(services.database.db)) return { status: 'ready' };
      return reply.status(503).send({ status: 'database unavailable' });
    },
  );
};
