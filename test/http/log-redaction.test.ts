import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/http/log-redaction.js';
import { generateToken } from '../../src/credentials/token-format.js';

describe('redactUrl (what the request log shows of a URL)', () => {
  const personal = generateToken('personal');
  const session = generateToken('session');

  it.each([
    ['/api/v1/me?access_token=abc', '/api/v1/me?access_token=[REDACTED]'],
    ['/x?token=1&page=2', '/x?token=[REDACTED]&page=2'],
    ['/x?api_key=1&apiKey=2&key=3&api-key=4', '/x?api_key=[REDACTED]&apiKey=[REDACTED]&key=[REDACTED]&api-key=[REDACTED]'],
    ['/x?client_secret=s&password=p&passwd=q&pwd=r', '/x?client_secret=[REDACTED]&password=[REDACTED]&passwd=[REDACTED]&pwd=[REDACTED]'],
    [
      '/x?X-Amz-Signature=s&sig=t&auth=u&session=v&code=w',
      '/x?X-Amz-Signature=[REDACTED]&sig=[REDACTED]&auth=[REDACTED]&session=[REDACTED]&code=[REDACTED]',
    ],
    ['/x?ACCESS_TOKEN=a&access%5Ftoken=b', '/x?ACCESS_TOKEN=[REDACTED]&access%5Ftoken=[REDACTED]'],
    ['/x?limit=5&cursor=abc&type=task.created', '/x?limit=5&cursor=abc&type=task.created'],
    ['/x?flag&token', '/x?flag&token'],
    ['/api/v1/workspaces', '/api/v1/workspaces'],
  ])('%s → %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });

  it('hides a token-shaped string wherever it is: a path segment, any value, a name', () => {
    expect(redactUrl(`/api/v1/tokens/${personal}`)).toBe('/api/v1/tokens/tgp_[REDACTED]');
    expect(redactUrl(`/x?note=${session}&page=1`)).toBe('/x?note=tgs_[REDACTED]&page=1');
    expect(redactUrl(`/x?${personal}`)).toBe('/x?tgp_[REDACTED]');
    expect(redactUrl(`/x?q=tg_abc`)).toBe('/x?q=tg_[REDACTED]');
    for (const url of [`/api/v1/tokens/${personal}`, `/x?note=${session}`, `/x?${personal}`]) {
      expect(redactUrl(url)).not.toContain(personal.slice(4, 20));
      expect(redactUrl(url)).not.toContain(session.slice(4, 20));
    }
  });

  it('survives names that are not valid percent-encoding', () => {
    expect(redactUrl('/x?%zz_token=1&%zz=2')).toBe('/x?%zz_token=[REDACTED]&%zz=2');
  });
});
