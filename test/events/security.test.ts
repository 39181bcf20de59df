import { describeEachDialect } from '../helpers/harness.js';
import { runCommonRouteTests } from '../helpers/security.js';
import { ownProject } from '../tasks/fixtures.js';
import { streamPath } from './stream-reader.js';

describeEachDialect('event stream: shared route security', (app) => {
  runCommonRouteTests(app, {
    method: 'GET',
    setup: async (t) => ({ path: streamPath((await ownProject(t)).workspace.id) }),
  });
});
