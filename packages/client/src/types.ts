import type { components } from "./generated/openapi.js";
type Schemas = components["schemas"];

