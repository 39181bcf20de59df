import { describeEachDialect } from '../helpers/harness.js';
import { runCommonRouteTests } from '../helpers/security.js';
import { createLabel, createTask, ownProject } from './fixtures.js';

describeEachDialect('task domain: shared route security', (app) => {
  runCommonRouteTests(app, {
    method: 'GET',
    setup: async (t) => ({ path: `/api/v1/tasks?projectId=${(await ownProject(t)).project.id}` }),
  });
  runCommonRouteTests(app, {
    method: 'POST',
    setup: async (t) => {
      const { project } = await ownProject(t);
      return { path: '/api/v1/tasks', body: { projectId: project.id, title: 'x' } };
    },
  });
  runCommonRouteTests(app, {
    method: 'PATCH',
    setup: async (t) => {
      const { owner, project } = await ownProject(t);
      return { path: `/api/v1/tasks/${(await createTask(t, owner, project.id)).id}`, body: { title: 'y' } };
    },
  });
  runCommonRouteTests(app, {
    method: 'POST',
    setup: async (t) => {
      const { owner, project } = await ownProject(t);
      return { path: `/api/v1/tasks/${(await createTask(t, owner, project.id)).id}/claim` };
    },
  });
  runCommonRouteTests(app, {
    method: 'DELETE',
    setup: async (t) => {
      const { owner, workspace } = await ownProject(t);
      return { path: `/api/v1/labels/${(await createLabel(t, owner, workspace.id)).id}` };
    },
  });
  runCommonRouteTests(app, {
    method: 'POST',
    setup: async (t) => ({ path: `/api/v1/workspaces/${(await ownProject(t)).workspace.id}/spaces`, body: { name: 'S' } }),
  });
  runCommonRouteTests(app, {
    method: 'PATCH',
    setup: async (t) => ({ path: `/api/v1/projects/${(await ownProject(t)).project.id}`, body: { archived: true } }),
  });
});
