import { request } from './http.js';

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
