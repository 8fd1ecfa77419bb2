import { useEffect, useRef, useState } from 'react';
import { sameOriginPath } from '../api';

interface LogLine {
  id: string;
  timestamp: string;
  message: string;
}

/**
 * Follows an activity's NDJSON log (`{"_id","data":{timestamp,message}}` lines, then `{"seal":true}`)
 * as it is written; reconnects from the last line if the stream breaks before the seal.
 */
export function useActivityLog(logHref: string | undefined) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [sealed, setSealed] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!logHref) return;
    const abort = new AbortController();
    let next = 0;
    setLines([]);
    setSealed(false);
    setError(null);

    async function follow(): Promise<boolean> {
      const url = new URL(sameOriginPath(logHref!), window.location.origin);
      url.searchParams.set('start_at', String(next));
      const response = await fetch(url, { credentials: 'same-origin', signal: abort.signal, headers: { accept: 'application/x-ndjson' } });
      if (!response.ok || !response.body) throw new Error(`The log could not be read (${response.status}).`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return false;
        buffer += value;
        const complete = buffer.split('\n');
        buffer = complete.pop() ?? '';
        const fresh: LogLine[] = [];
        for (const text of complete) {
          if (!text.trim()) continue;
          const entry = JSON.parse(text) as { seal?: boolean; _id?: string; data?: { timestamp: string; message: string } };
          if (entry.seal) {
            setLines((current) => [...current, ...fresh]);
            return true;
          }
          if (entry._id !== undefined && entry.data) {
            fresh.push({ id: entry._id, timestamp: entry.data.timestamp, message: entry.data.message });
            next = Number(entry._id) + 1;
          }
        }
        if (fresh.length) setLines((current) => [...current, ...fresh]);
      }
    }

    (async () => {
      for (let attempt = 0; attempt < 20 && !abort.signal.aborted; attempt++) {
        if (await follow()) {
          setSealed(true);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })().catch((caught: unknown) => {
      if (!abort.signal.aborted) setError(caught instanceof Error ? caught.message : String(caught));
    });
    return () => abort.abort();
  }, [logHref]);

  return { lines, sealed, error };
}

export function ActivityLog({ logHref, label }: { logHref: string | undefined; label: string }) {
  const { lines, sealed, error } = useActivityLog(logHref);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines.length]);
  return (
    <section className="log-wrap" aria-label={label}>
      <div ref={box} role="log" aria-label={`${label} lines`} className="log" tabIndex={0}>
        {lines.map((line) => (
          <div key={line.id}>
            <span className="muted">{line.timestamp.slice(11, 19)}</span> {line.message}
          </div>
        ))}
        {lines.length === 0 && !sealed && <div className="muted">Waiting for output…</div>}
      </div>
      <p className="hint" role="status">
        {error ? `Error: ${error}` : sealed ? 'End of log.' : 'Following the log live…'}
      </p>
    </section>
  );
}
