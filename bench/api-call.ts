/** One JSON call to a Taskgate server for a bench's setup; throws on any status from 300 up. */
export async function call<T>(base: string, method: string, route: string, token: string | null, body: unknown): Promise<T> {
  const res = await fetch(base + route, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
