// Target (a): the ceiling any Fastify route on this machine can reach. Logger off, one route.
// usage: PORT=3000 node bench/token-exchange/hello-server.mjs
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
process.stderr.write(`hello-world ${address} pid=${process.pid}\n`);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => app.close().then(() => process.exit(0)));
