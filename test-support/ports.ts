/**
 * Ports for the servers, gateways and SMTP sinks that tests start and must name beforehand.
 *
 * A port found by binding port 0 and closing again comes from the kernel's ephemeral range, where
 * the next bind(0) or outgoing connection of any process may take it before our server binds it.
 * Under load that window grew until an SSH client met another test's HTTP server on its gateway's
 * port ("kex_exchange_identification: Connection closed by remote host"). So ports come from
 * below the ephemeral range, where the kernel hands none out, each vitest worker from a slice of
 * its own; a bind still checks each one, for other programs on the machine.
 */
import fs from 'node:fs';
import net from 'node:net';

const FIRST_PORT = 20_000;
const SLICE = 1_000;
const SLICES = 12;
let nextInSlice = -1;

export async function freePort(): Promise<number> {
  const ephemeralStart = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  if (FIRST_PORT + SLICES * SLICE > ephemeralStart) throw new Error(`test ports ${FIRST_PORT}+ overlap the ephemeral range starting at ${ephemeralStart}`);
  const slice = Number(process.env.VITEST_POOL_ID ?? 0) % SLICES;
  // Start where the process id points, so that two runs on one machine rarely probe the same ports.
  if (nextInSlice < 0) nextInSlice = process.pid % SLICE;
  for (let probed = 0; probed < SLICE; probed++) {
    const port = FIRST_PORT + slice * SLICE + (nextInSlice++ % SLICE);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${FIRST_PORT + slice * SLICE}–${FIRST_PORT + (slice + 1) * SLICE - 1}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
