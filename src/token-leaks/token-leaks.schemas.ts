import { Type } from 'typebox';
import { Named, StrictObject, Text } from '../http/schemas.js';

/** The largest report accepted, in bytes of body (its own limit, whatever TASKGATE_BODY_LIMIT_BYTES says). */
export const LEAK_REPORT_BODY_LIMIT = 1024 * 1024;

export const LeakReport = Named(
  'LeakReport',
  StrictObject(
    {
      strings: Type.Array(Type.String(), {
        description:
          'What was found: whole files, lines or single strings. Every Taskgate-shaped token in them is examined ' +
          '(`tg` + kind letter + `_` + 38 base62 characters, the last 6 a checksum)',
      }),
      source: Type.Optional(Text({ maxLength: 2000, description: 'Where they were found, e.g. the URL of a public file' })),
    },
    { description: 'A leak report from a secret scanner' },
  ),
);

export const LeakReportReceipt = Named(
  'LeakReportReceipt',
  Type.Object(
    { examined: Type.Integer({ minimum: 0, description: 'How many token-shaped strings the report held (each counted once)' }) },
    { description: 'The same answer whatever was found: whether a token was live is never told' },
  ),
);
