import { it } from 'vitest';
import { describeEachDialect } from '../helpers/harness.js';
import { RACES } from './cases.js';
import { runRace } from './race.js';

describeEachDialect('parallel duplicates: one winner, a documented answer for the rest, one record', (app) => {
  for (const race of RACES) {
    it(race.name, async () => {
      await runRace(await race.prepare(app()));
    });
  }
});
