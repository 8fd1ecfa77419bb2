/** Scraping a real `/metrics` endpoint and reading samples from the Prometheus text format. */
export interface Scrape {
  status: number;
  contentType: string;
  text: string;
  /** The value of one series, e.g. `value('pier_token_exchanges_total', { result: 'ok' })`; undefined when absent. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every series of a metric, with its labels. */
  series(name: string): Array<{ labels: Record<string, string>; value: number }>;
}

/** Scrapes `url` over the network, or through `send` (an in-process server's `fetch`). */
export async function scrape(url: string, token?: string, send: (request: Request) => Promise<Response> = fetch): Promise<Scrape> {
  const response = await send(new Request(url, { headers: token ? { authorization: `Bearer ${token}` } : {} }));
  const text = await response.text();
  const samples = response.ok ? parse(text) : [];
  const series = (name: string) => samples.filter((s) => s.name === name).map(({ labels, value }) => ({ labels, value }));
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text,
    series,
    value(name, labels = {}) {
      const found = series(name).find((s) => Object.keys(labels).length === Object.keys(s.labels).length && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      return found?.value;
    },
  };
}

function parse(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, '$1');
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}
