import { request } from './http.js';
import { apiAs } from './api-client.js';
import type { InProcessServer } from './in-process.js';

export interface ActivityBody {
  id: string;
  type: string;
  state: string;
  result: string | null;
  completion_percent: number;
  payload: Record<string, unknown>;
  failure_reason: string | null;
  attempts: number;
  _links: Record<string, { href: string }>;
}

/** Polls an activity until it has finished (complete or cancelled). */
export async function waitForActivity(url: string, projectId: string, activityId: string, headers: Record<string, string>, timeoutMs = 30_000): Promise<ActivityBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request<ActivityBody>(`${url}/projects/${projectId}/activities/${activityId}`, { headers });
    if (response.body.state === 'complete' || response.body.state === 'cancelled') return response.body;
    if (Date.now() > deadline) throw new Error(`activity ${activityId} still ${response.body.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `waitForActivity` for an in-process server, through the typed client. */
export async function waitForActivityInProcess(
  server: Pick<InProcessServer, 'url' | 'fetch'>,
  projectId: string,
  activityId: string,
  headers: Record<string, string>,
  timeoutMs = 30_000,
) {
  const client = apiAs(server, headers);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data, response } = await client.GET('/projects/{projectId}/activities/{activityId}', { params: { path: { projectId, activityId } } });
    if (!data) throw new Error(`activity ${activityId}: ${response.status}`);
    if (data.state === 'complete' || data.state === 'cancelled') return data;
    if (Date.now() > deadline) throw new Error(`activity ${activityId} still ${data.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
