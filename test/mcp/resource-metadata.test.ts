import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { foreignOriginRefusal } from '../../src/mcp/origin-check.js';
import { mcpChallenge, protectedResourceMetadata, publicBaseUrl } from '../../src/mcp/resource-metadata.js';

function request(headers: Record<string, string>): FastifyRequest {
  return { headers, protocol: 'http' } as unknown as FastifyRequest;
}

describe('MCP origin check', () => {
  it('lets clients without an Origin through, and pages of this server or of localhost', () => {
    expect(foreignOriginRefusal(request({}), null)).toBeNull();
    expect(foreignOriginRefusal(request({ origin: 'https://taskgate.example' }), 'https://taskgate.example')).toBeNull();
    for (const origin of ['http://localhost:6274', 'http://127.0.0.1:3000', 'http://[::1]:8080']) {
      expect(foreignOriginRefusal(request({ origin }), 'https://taskgate.example'), origin).toBeNull();
    }
  });

  it('refuses another site, even one whose name was pointed at this server (its Host then matches too)', () => {
    const rebound = request({ origin: 'http://rebound.example:8080', host: 'rebound.example:8080' });
    expect(foreignOriginRefusal(rebound, null)).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', statusCode: 403 });
    expect(foreignOriginRefusal(request({ origin: 'https://taskgate.example.evil' }), 'https://taskgate.example')).toMatchObject({
      code: 'ORIGIN_NOT_ALLOWED',
    });
    expect(foreignOriginRefusal(request({ origin: 'null' }), null)).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
  });
});

describe('MCP protected-resource metadata', () => {
  it('names TASKGATE_PUBLIC_URL when set, else the Host the request was sent to', () => {
    expect(publicBaseUrl(request({ host: 'internal:8080' }), 'https://taskgate.example')).toBe('https://taskgate.example');
    expect(publicBaseUrl(request({ host: '10.0.0.5:8080' }), null)).toBe('http://10.0.0.5:8080');
    // A Host that is not a plain host[:port] is never echoed into a header.
    expect(publicBaseUrl(request({ host: 'evil.example", error="x' }), null)).toBe('http://localhost');
  });

  it('challenges with the metadata URL, naming invalid_token only when a credential was sent', () => {
    const challenge = mcpChallenge('https://taskgate.example');
    expect(challenge(request({}), false)).toBe('Bearer resource_metadata="https://taskgate.example/.well-known/oauth-protected-resource"');
    expect(challenge(request({}), true)).toBe(
      'Bearer error="invalid_token", resource_metadata="https://taskgate.example/.well-known/oauth-protected-resource"',
    );
    expect(protectedResourceMetadata('https://taskgate.example')).toEqual({
      resource: 'https://taskgate.example/mcp',
      resource_name: 'Taskgate MCP endpoint',
      bearer_methods_supported: ['header'],
      resource_documentation: 'https://taskgate.example/docs',
    });
  });
});
