import { expect, it } from 'vitest';
import { registerAgent } from '../agents/helpers.js';
import { createUser, createWorkspace } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createToken } from '../tokens/helpers.js';
import { leakAudits, leakEvents, LEAKS_PATH } from './helpers.js';

const AT_ONCE = 8;

describeEachDialect(
  'token leak reports at the same time',
  (app) => {
    it('parallel reports of the same tokens all answer 202; each token is revoked and told once', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const personal = await createToken(app(), owner);
      const agent = await registerAgent(app(), owner.token, workspace);

      const answers = await Promise.all(
        Array.from({ length: AT_ONCE }, () => app().request('POST', LEAKS_PATH, { body: { strings: [personal.token, agent.token] } })),
      );

      expect(answers.map((answer) => answer.status)).toEqual(Array(AT_ONCE).fill(202));
      expect(await leakAudits(app(), personal.id)).toHaveLength(1);
      const events = await leakEvents(app(), owner.token, workspace.id);
      expect(events.map((event) => event.data.kind).sort()).toEqual(['agent', 'personal']);
    });
  },
  { TASKGATE_LEAK_REPORT_RATE_LIMIT: '100' },
);
