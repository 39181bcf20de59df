import { ListedAgentSchema } from '../agents/agents.schemas.js';
import { EventSchema } from '../events/events.schemas.js';
import { ListOf } from '../http/schemas.js';
import { ProjectSchema } from '../projects/projects.schemas.js';
import { TaskSchema } from '../tasks/tasks.schemas.js';
import { MeSchema } from '../users/users.schemas.js';
import { fromRest } from './rest-schemas.js';

// What the tools return is what the REST routes answer, declared with their schemas. The SDK and every
// client check `structuredContent` against these.

/** `GET /me`. */
export const CallerOut = fromRest(MeSchema);
/** `GET /tasks/{id}` and every task action. */
export const TaskOut = fromRest(TaskSchema);
export const TaskPageOut = fromRest(ListOf(TaskSchema));
export const ProjectPageOut = fromRest(ListOf(ProjectSchema));
export const AgentPageOut = fromRest(ListOf(ListedAgentSchema));
export const EventPageOut = fromRest(ListOf(EventSchema));
