// Turns the measured targets into the console table, the ratios judged against issue 2's targets,
// and the markdown section kept in docs/benchmarks.md.
import fs from 'node:fs';

export const DOCS_HEADING = '## Token exchange (bench/token-exchange)';

/** Ratios of issue 2, item 8. `min` is the target; ratios without one are informational. */
const RATIOS = [
  { name: 'b/a', over: 'b', under: 'a', meaning: 'exchange vs hello-world' },
  { name: 'b/c', over: 'b', under: 'c', min: 3, meaning: 'exchange vs oidc-provider (EdDSA JWT)' },
  { name: 'd/a', over: 'd', under: 'a', min: 0.4, meaning: 'GET /users/me vs hello-world' },
];
const INFO_RATIOS = [
  { name: 'b/c', over: 'b-info', under: 'c', min: 3, meaning: 'exchange at info vs oidc-provider' },
  { name: 'd/a', over: 'd-info', under: 'a', min: 0.4, meaning: 'GET /users/me at info vs hello-world' },
];
/** Issue 15: at the default log level, a new JWT signed on every exchange. */
const ISSUE15_RATIOS = [
  { name: 'b-sign-info/c', over: 'b-sign-info', under: 'c', min: 2.5, meaning: 'exchange at info, a new JWT every time, vs oidc-provider' },
  { name: 'd-info/a', over: 'd-info', under: 'a', min: 0.5, meaning: 'GET /users/me at info vs hello-world' },
];
/** Issue 15: what a token scope and an address binding add to an authenticated request (≤ 5 %). */
const SCOPE_COSTS = [
  { name: 'd-scoped vs d-info, CPU', over: 'd-scoped', under: 'd-info', field: 'cpu', max: 0.05, meaning: 'server CPU per request added by the scope + CIDR check' },
  { name: 'd-scoped vs d-info, req/s', over: 'd-scoped', under: 'd-info', field: 'rps', max: 0.05, meaning: 'throughput lost to the scope + CIDR check' },
];
const EXTRA_RATIOS = [
  { name: 'b/c(ES256)', over: 'b', under: 'c-es256', meaning: 'exchange vs oidc-provider (ES256 JWT)' },
  { name: 'b-sign/c', over: 'b-sign', under: 'c', meaning: 'exchange signing a new JWT every time vs oidc-provider' },
  { name: 'b-metrics/b', over: 'b-metrics', under: 'b', meaning: 'exchange with metrics on vs off' },
  { name: 'd-metrics/d', over: 'd-metrics', under: 'd', meaning: 'GET /users/me with metrics on vs off' },
];
/**
 * Server CPU time per request, metrics on over off (issue 17): what counting every request costs.
 * CPU per request barely moves when other processes share the machine; throughput does.
 */
const CPU_RATIOS = [
  { name: 'b-metrics/b CPU', over: 'b-metrics', under: 'b', max: 1.1, meaning: 'server CPU per exchange, metrics on vs off' },
  { name: 'd-metrics/d CPU', over: 'd-metrics', under: 'd', max: 1.1, meaning: 'server CPU per GET /users/me, metrics on vs off' },
];

export function computeRatios(results) {
  const byId = new Map(results.map((result) => [result.id, result]));
  const evaluate = (list) =>
    list
      .filter((ratio) => byId.has(ratio.over) && byId.has(ratio.under))
      .map((ratio) => {
        const value = byId.get(ratio.over).rps / byId.get(ratio.under).rps;
        return { ...ratio, value, verdict: ratio.min === undefined ? '' : value >= ratio.min ? 'PASS' : 'FAIL' };
      });
  const cpu = CPU_RATIOS.filter((ratio) => byId.get(ratio.over)?.cpuUsPerRequest && byId.get(ratio.under)?.cpuUsPerRequest).map((ratio) => {
    const value = byId.get(ratio.over).cpuUsPerRequest / byId.get(ratio.under).cpuUsPerRequest;
    return { ...ratio, value, verdict: value <= ratio.max ? 'PASS' : 'FAIL' };
  });
  const costs = SCOPE_COSTS.filter((cost) => byId.has(cost.over) && byId.has(cost.under))
    .map((cost) => {
      const over = byId.get(cost.over);
      const under = byId.get(cost.under);
      if (cost.field === 'cpu' && !(over.cpuUsPerRequest && under.cpuUsPerRequest)) return undefined;
      const value = cost.field === 'cpu' ? over.cpuUsPerRequest / under.cpuUsPerRequest - 1 : 1 - over.rps / under.rps;
      // Without the claims in the token the row measured a plain token: no verdict.
      const verdict = over.claimsMissing ? 'n/a (token without scope claims)' : value <= cost.max ? 'PASS' : 'FAIL';
      return { ...cost, value, verdict };
    })
    .filter(Boolean);
  return { main: evaluate(RATIOS), info: evaluate(INFO_RATIOS), issue15: evaluate(ISSUE15_RATIOS), costs, extra: evaluate(EXTRA_RATIOS), cpu };
}

/** Two decimals, or three when two would round a miss up to its target (0.495 is not ≥ 0.5). */
function formatRatio(ratio) {
  const two = ratio.value.toFixed(2);
  return ratio.verdict === 'FAIL' && ratio.min !== undefined && Number(two) >= ratio.min ? ratio.value.toFixed(3) : two;
}

function formatPercent(value) {
  return `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %`;
}

export function formatConsole(results, ratios) {
  const rows = [['', 'target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'server CPU µs/req', 'other CPU %']];
  for (const r of results) {
    rows.push([r.id, r.label, fmtInt(r.rps), String(r.p50), String(r.p99), fmtInt(r.total), String(r.non2xx), String(r.errors + r.timeouts), fmtCpu(r), fmtForeign(r)]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const table = rows.map((row) => row.map((cell, column) => (column >= 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  '));
  const ratioLine = (ratio) =>
    `  ${ratio.name.padEnd(13)} ${formatRatio(ratio).padStart(6)}  ${ratio.min === undefined ? '          ' : `target ≥ ${String(ratio.min).padEnd(4)}`} ${ratio.verdict.padEnd(4)}  ${ratio.meaning}`;
  const lines = [table[0], '-'.repeat(table[0].length), ...table.slice(1)];
  for (const r of results.filter((result) => result.allRps?.length > 1)) lines.push(`  ${r.id} req/s per round: ${r.allRps.map(fmtInt).join(', ')}`);
  lines.push('', 'Ratios (log level warn):');
  lines.push(...ratios.main.map(ratioLine), ...ratios.extra.map(ratioLine));
  if (ratios.info.length) lines.push('At the default log level info (what users run):', ...ratios.info.map(ratioLine));
  if (ratios.issue15.length) lines.push('Issue 15 (log level info, reuse window off):', ...ratios.issue15.map(ratioLine));
  if (ratios.costs.length) lines.push('Scope + address binding (issue 15):', ...ratios.costs.map((c) => `  ${c.name.padEnd(26)} ${formatPercent(c.value).padStart(8)}  target ≤ +${c.max * 100} %  ${c.verdict}  ${c.meaning}`));
  if (ratios.cpu.length) lines.push('Server CPU per request:', ...ratios.cpu.map((r) => `  ${r.name.padEnd(16)} ${r.value.toFixed(2).padStart(6)}  target ≤ ${r.max} ${r.verdict}  ${r.meaning}`));
  return lines.join('\n');
}

export function formatMarkdown({ results, ratios, machine, settings, when, revision }) {
  const lines = [
    DOCS_HEADING,
    '',
    `Written by \`npm run bench:token-exchange\` (\`node bench/token-exchange/run.mjs\`); rerun it to refresh this section.`,
    `Each target runs in a fresh server process on loopback, one at a time: ${settings.warmup} s warm-up, then autocannon with ` +
      `${settings.connections} connections for ${settings.duration} s` +
      (settings.rounds > 1 ? `, ${settings.rounds} interleaved rounds, median req/s kept` : '') +
      `. Pier runs on its embedded SQLite with \`PIER_LOG_LEVEL=warn\` ` +
      `(b, d) and again at the default \`info\` (b-info, d-info, b-sign-info, d-scoped), logging to a file. ` +
      `b-sign and b-sign-info sign a new JWT on every exchange (\`PIER_ACCESS_TOKEN_REUSE_SECONDS=0\`); ` +
      `d-scoped uses an access token from an API token with a scope and an address binding (\`pier_scope\`, \`allowed_ips\`).`,
    '',
    `- Run: ${when}, Pier ${revision}`,
    `- Machine: ${machine.nproc} cores (nproc), ${machine.cpuModel}, ${machine.memory}, ${machine.os}`,
    `- Software: Node ${machine.node}, ${machine.versions}`,
    '',
    '| | target | req/s | p50 ms | p99 ms | requests | non-2xx + errors | server CPU µs/req | other CPU % |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.id} | ${r.label} | ${fmtInt(r.rps)} | ${r.p50} | ${r.p99} | ${fmtInt(r.total)} | ${r.non2xx + r.errors + r.timeouts} | ${fmtCpu(r)} | ${fmtForeign(r)} |`),
    '',
    '"other CPU %": share of all cores used meanwhile by processes other than the server and the load generator ' +
      '(plus hypervisor steal); above a few percent the row was measured on a busy machine.',
    '',
    '| ratio | value | target | verdict |',
    '|---|---:|---|---|',
    ...[...ratios.main, ...ratios.extra].map((r) => `| ${r.name} (${r.meaning}) | ${r.value.toFixed(2)} | ${r.min === undefined ? '—' : `≥ ${r.min}`} | ${r.verdict || '—'} |`),
    ...ratios.info.map((r) => `| ${r.name} at info (${r.meaning}) | ${formatRatio(r)} | ≥ ${r.min} | ${r.verdict} |`),
    ...ratios.cpu.map((r) => `| ${r.name} (${r.meaning}) | ${r.value.toFixed(2)} | ≤ ${r.max} | ${r.verdict} |`),
    '',
    ...(ratios.issue15.length || ratios.costs.length
      ? [
          'Issue 15 targets (default log level `info`, access-token reuse window off):',
          '',
          '| ratio | value | target | verdict |',
          '|---|---:|---|---|',
          ...ratios.issue15.map((r) => `| ${r.name} (${r.meaning}) | ${formatRatio(r)} | ≥ ${r.min} | ${r.verdict} |`),
          ...ratios.costs.map((c) => `| ${c.name} (${c.meaning}) | ${formatPercent(c.value)} | ≤ +${c.max * 100} % | ${c.verdict} |`),
          '',
        ]
      : []),
  ];
  return lines.join('\n');
}

/** Replaces our section of docs/benchmarks.md (up to the next `## ` heading) or appends it. */
export function writeDocsSection(file, section) {
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const lines = existing.split('\n');
  const start = lines.findIndex((line) => line.trim() === DOCS_HEADING);
  let next;
  if (start < 0) {
    next = existing.replace(/\n*$/, '\n\n') + section;
  } else {
    let end = lines.findIndex((line, index) => index > start && /^## /.test(line));
    if (end < 0) end = lines.length;
    const after = lines.slice(end).join('\n');
    next = [...lines.slice(0, start), ...section.replace(/\n*$/, '').split('\n'), ...(after ? ['', after] : [''])].join('\n');
  }
  fs.writeFileSync(file, next.replace(/\n*$/, '\n'));
}

function fmtCpu(result) {
  return result.cpuUsPerRequest ? result.cpuUsPerRequest.toFixed(1) : '—';
}

function fmtForeign(result) {
  if (result.othersPercent === null) return '—';
  return (result.othersPercent + result.stealPercent).toFixed(1);
}

function fmtInt(value) {
  return Math.round(value).toLocaleString('en-US');
}
