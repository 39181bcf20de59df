/**
 * Every route declares who may call it:
 * - `public`: anyone; credentials, when sent, are still checked;
 * - `session`: a signed-in browser or CLI session only;
 * - `user`: a session or a personal access token (acts on the user's own account);
 * - `any`: a session or any kind of token;
 * - `token`: any kind of API token, never a session (machine endpoints such as /mcp): the session
 *   cookie is not even read there.
 */
export type AuthRequirement = 'public' | 'session' | 'user' | 'any' | 'token';
