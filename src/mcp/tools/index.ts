import type { TaskgateTool } from '../tool-kit.js';
import { listProjectsTool } from './projects.js';
import { createTaskTool, updateTaskTool } from './task-editing.js';
import { getTaskTool, listTasksTool } from './task-reading.js';
import { claimTaskTool, completeTaskTool, releaseTaskTool } from './task-work.js';
import { whoami } from './whoami.js';
import { listAgentsTool, listEventsTool } from './workspace-activity.js';

/**
 * Every tool of the MCP endpoint, in the order clients list them. Their names are part of the
 * interface. (There is no add_comment: Taskgate tasks have no comments.)
 */
export const TOOLS: readonly TaskgateTool[] = [
  whoami,
  listProjectsTool,
  listTasksTool,
  getTaskTool,
  createTaskTool,
  updateTaskTool,
  claimTaskTool,
  completeTaskTool,
  releaseTaskTool,
  listAgentsTool,
  listEventsTool,
];
