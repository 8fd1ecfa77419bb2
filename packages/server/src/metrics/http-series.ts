import type { Registry } from 'prom-client';

interface RequestSeries {
  labels: { method: string; route: string; status: string };
  count: number;
  timing: TimingSeries;
}

interface TimingSeries {
  labels: { method: string; route: string };
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

interface MetricValue {
  labels: Record<string, string>;
  value: number;
  metricName?: string;
}

/**
 * `pier_http_requests_total` and `pier_http_request_duration_seconds`, kept in plain arrays.
 * prom-client's labelled children hash and validate their labels on every call (about 1 µs per
 * request here); this is one Map lookup. They reach the registry as custom metrics, the form
 * prom-client's Registry reads (`name`, `help`, `type`, `get()`), and print in the same format.
 */
export class HttpSeries {
  private readonly requests = new Map<string, RequestSeries>();
  private readonly timings = new Map<string, TimingSeries>();

  constructor(
    registry: Registry,
    private readonly bounds: readonly number[],
  ) {
    registry.registerMetric(this.metric('pier_http_requests_total', 'HTTP requests by method, route pattern and status', 'counter', () => this.requestValues()) as never);
    registry.registerMetric(this.metric('pier_http_request_duration_seconds', 'HTTP request latency by method and route pattern', 'histogram', () => this.timingValues()) as never);
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.requests.get(key);
    if (!series) series = this.newSeries(key, method, route, status);
    series.count++;
    const timing = series.timing;
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]!) bucket++;
    timing.buckets[bucket]!++;
    timing.sum += seconds;
    timing.count++;
  }

  private newSeries(key: string, method: string, route: string, status: number): RequestSeries {
    const timingKey = `${method} ${route}`;
    let timing = this.timings.get(timingKey);
    if (!timing) {
      timing = { labels: { method, route }, buckets: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.timings.set(timingKey, timing);
    }
    const series = { labels: { method, route, status: String(status) }, count: 0, timing };
    this.requests.set(key, series);
    return series;
  }

  private requestValues(): MetricValue[] {
    return [...this.requests.values()].map((series) => ({ labels: series.labels, value: series.count }));
  }

  private timingValues(): MetricValue[] {
    const name = 'pier_http_request_duration_seconds';
    const values: MetricValue[] = [];
    for (const timing of this.timings.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += timing.buckets[index]!;
        values.push({ metricName: `${name}_bucket`, labels: { ...timing.labels, le: String(bound) }, value: cumulative });
      });
      values.push({ metricName: `${name}_bucket`, labels: { ...timing.labels, le: '+Inf' }, value: timing.count });
      values.push({ metricName: `${name}_sum`, labels: timing.labels, value: timing.sum });
      values.push({ metricName: `${name}_count`, labels: timing.labels, value: timing.count });
    }
    return values;
  }

  private metric(name: string, help: string, type: 'counter' | 'histogram', values: () => MetricValue[]) {
    return { name, help, type, aggregator: 'sum', get: () => ({ name, help, type, aggregator: 'sum', values: values() }) };
  }
}
