import { Type } from 'typebox';
import { Nullable } from '../http/schemas.js';

/** The `stale` and `expiring` filters of every token list (personal, workspace, agents). */
export const HygieneQuery = {
  stale: Type.Optional(
    Type.Boolean({
      description:
        'true: only working tokens unused (if never used: created) longer ago than the stale period (90 days by default); ' +
        'false: all the others',
    }),
  ),
  expiring: Type.Optional(
    Type.Boolean({ description: 'true: only working tokens that expire within the first expiry-warning window (7 days by default)' }),
  ),
};

/** What a token list adds to each token. */
export const HygieneProperties = {
  expiresInDays: Nullable(
    Type.Integer({
      minimum: 0,
      description: 'Whole days until it expires, rounded down (0 on its last day); null when it already has (or never expires)',
    }),
  ),
  stale: Type.Boolean({
    description: 'It still works and was not used (if never used: created) within the stale period (90 days by default)',
  }),
};
