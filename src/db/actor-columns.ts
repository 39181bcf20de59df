import type { Actor } from '../authz/principal.js';

/** Who made or last changed a row: the same `type`/`id` pair as an event actor. */
export interface ActorColumns {
  created_by_type: Actor['type'];
  created_by_id: string;
}
