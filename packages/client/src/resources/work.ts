import { pathId, type BodyOf, type CallOptions, type Core, type QueryOf } from '../core.js';

const byId = (id: string, what: string) => ({ id: pathId(id, what) });

export class SpacesResource {
  constructor(private readonly core: Core) {}

  list(workspaceId: string, query: QueryOf<'/api/v1/workspaces/{id}/spaces', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(
        this.core.api.GET('/api/v1/workspaces/{id}/spaces', {
          params: { path: byId(workspaceId, 'A workspace id'), query: { ...query, cursor } },
          ...this.core.init(options),
        }),
      ),
    );
  }

  get(id: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.GET('/api/v1/spaces/{id}', { params: { path: byId(id, 'A space id') }, ...this.core.init(options) }),
    );
  }

  create(workspaceId: string, body: BodyOf<'/api/v1/workspaces/{id}/spaces', 'post'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/workspaces/{id}/spaces', {
        params: { path: byId(workspaceId, 'A workspace id') },
        body,
        ...this.core.init(options),
      }),
    );
  }

  update(id: string, body: BodyOf<'/api/v1/spaces/{id}', 'patch'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.PATCH('/api/v1/spaces/{id}', { params: { path: byId(id, 'A space id') }, body, ...this.core.init(options) }),
    );
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    await this.core.send(
      this.core.api.DELETE('/api/v1/spaces/{id}', { params: { path: byId(id, 'A space id') }, ...this.core.init(options) }),
    );
  }
}

export class ProjectsResource {
  constructor(private readonly core: Core) {}

  /** A workspace's projects (`workspaceId`), optionally in one space. */
  list(query: QueryOf<'/api/v1/projects', 'get'>, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(this.core.api.GET('/api/v1/projects', { params: { query: { ...query, cursor } }, ...this.core.init(options) })),
    );
  }

  get(id: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.GET('/api/v1/projects/{id}', { params: { path: byId(id, 'A project id') }, ...this.core.init(options) }),
    );
  }

  create(body: BodyOf<'/api/v1/projects', 'post'>, options?: CallOptions) {
    return this.core.send(this.core.api.POST('/api/v1/projects', { body, ...this.core.init(options) }));
  }

  update(id: string, body: BodyOf<'/api/v1/projects/{id}', 'patch'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.PATCH('/api/v1/projects/{id}', { params: { path: byId(id, 'A project id') }, body, ...this.core.init(options) }),
    );
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    await this.core.send(
      this.core.api.DELETE('/api/v1/projects/{id}', { params: { path: byId(id, 'A project id') }, ...this.core.init(options) }),
    );
  }
}

export class LabelsResource {
  constructor(private readonly core: Core) {}

  list(workspaceId: string, query: QueryOf<'/api/v1/workspaces/{id}/labels', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(
        this.core.api.GET('/api/v1/workspaces/{id}/labels', {
          params: { path: byId(workspaceId, 'A workspace id'), query: { ...query, cursor } },
          ...this.core.init(options),
        }),
      ),
    );
  }

  get(id: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.GET('/api/v1/labels/{id}', { params: { path: byId(id, 'A label id') }, ...this.core.init(options) }),
    );
  }

  create(workspaceId: string, body: BodyOf<'/api/v1/workspaces/{id}/labels', 'post'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/workspaces/{id}/labels', {
        params: { path: byId(workspaceId, 'A workspace id') },
        body,
        ...this.core.init(options),
      }),
    );
  }

  update(id: string, body: BodyOf<'/api/v1/labels/{id}', 'patch'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.PATCH('/api/v1/labels/{id}', { params: { path: byId(id, 'A label id') }, body, ...this.core.init(options) }),
    );
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    await this.core.send(
      this.core.api.DELETE('/api/v1/labels/{id}', { params: { path: byId(id, 'A label id') }, ...this.core.init(options) }),
    );
  }
}

export class TaskStatusesResource {
  constructor(private readonly core: Core) {}

  list(workspaceId: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.GET('/api/v1/workspaces/{id}/task-statuses', {
        params: { path: byId(workspaceId, 'A workspace id') },
        ...this.core.init(options),
      }),
    );
  }

  replace(workspaceId: string, body: BodyOf<'/api/v1/workspaces/{id}/task-statuses', 'put'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.PUT('/api/v1/workspaces/{id}/task-statuses', {
        params: { path: byId(workspaceId, 'A workspace id') },
        body,
        ...this.core.init(options),
      }),
    );
  }
}

/** Guards an edit: the version (or ETag) it is based on; a stale one fails with 412 PRECONDITION_FAILED. */
export interface IfMatchOptions extends CallOptions {
  ifMatch?: number | string;
}

function ifMatchHeader(ifMatch: number | string | undefined): Record<string, string> | undefined {
  if (ifMatch === undefined) return undefined;
  return { 'if-match': typeof ifMatch === 'number' ? `"${ifMatch}"` : ifMatch };
}

export type AssigneeRef = { userId: string } | { agentId: string };

export class TasksResource {
  constructor(private readonly core: Core) {}

  /** A project's tasks (`projectId`) or a workspace's (`workspaceId`), filtered and sorted. */
  list(query: QueryOf<'/api/v1/tasks', 'get'>, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(this.core.api.GET('/api/v1/tasks', { params: { query: { ...query, cursor } }, ...this.core.init(options) })),
    );
  }

  get(id: string, options?: CallOptions) {
    return this.core.send(this.core.api.GET('/api/v1/tasks/{id}', { params: { path: byId(id, 'A task id') }, ...this.core.init(options) }));
  }

  create(body: BodyOf<'/api/v1/tasks', 'post'>, options?: CallOptions) {
    return this.core.send(this.core.api.POST('/api/v1/tasks', { body, ...this.core.init(options) }));
  }

  /** Edits or moves a task; pass `ifMatch: task.version` to refuse overwriting someone else's change. */
  update(id: string, body: BodyOf<'/api/v1/tasks/{id}', 'patch'>, options: IfMatchOptions = {}) {
    return this.core.send(
      this.core.api.PATCH('/api/v1/tasks/{id}', {
        params: { path: byId(id, 'A task id') },
        body,
        ...this.core.init(options, ifMatchHeader(options.ifMatch)),
      }),
    );
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    await this.core.send(
      this.core.api.DELETE('/api/v1/tasks/{id}', { params: { path: byId(id, 'A task id') }, ...this.core.init(options) }),
    );
  }

  /** Claims the task for the caller and moves it to in_progress; 409 TASK_ALREADY_CLAIMED when another has it. */
  claim(id: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/tasks/{id}/claim', { params: { path: byId(id, 'A task id') }, ...this.core.init(options) }),
    );
  }

  complete(id: string, body: BodyOf<'/api/v1/tasks/{id}/complete', 'post'> = {}, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/tasks/{id}/complete', { params: { path: byId(id, 'A task id') }, body, ...this.core.init(options) }),
    );
  }

  /** Assigns a member (`{ userId }`) or an agent (`{ agentId }`) of the workspace. */
  assign(id: string, assignee: AssigneeRef, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/tasks/{id}/assignees', {
        params: { path: byId(id, 'A task id') },
        body: assignee,
        ...this.core.init(options),
      }),
    );
  }

  async unassign(id: string, assigneeId: string, options?: CallOptions): Promise<void> {
    const path = { ...byId(id, 'A task id'), assigneeId: pathId(assigneeId, 'An assignee id') };
    await this.core.send(
      this.core.api.DELETE('/api/v1/tasks/{id}/assignees/{assigneeId}', { params: { path }, ...this.core.init(options) }),
    );
  }

  addLabel(id: string, labelId: string, options?: CallOptions) {
    const body = { labelId: pathId(labelId, 'A label id') };
    return this.core.send(
      this.core.api.POST('/api/v1/tasks/{id}/labels', { params: { path: byId(id, 'A task id') }, body, ...this.core.init(options) }),
    );
  }

  async removeLabel(id: string, labelId: string, options?: CallOptions): Promise<void> {
    const path = { ...byId(id, 'A task id'), labelId: pathId(labelId, 'A label id') };
    await this.core.send(this.core.api.DELETE('/api/v1/tasks/{id}/labels/{labelId}', { params: { path }, ...this.core.init(options) }));
  }
}
