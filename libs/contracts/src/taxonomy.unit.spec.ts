import { describe, expect, it } from 'vitest';
import { CATEGORIES, categorySpec, severityOf, subCategorySpec, TAXONOMY, UNKNOWN_SEVERITY } from './taxonomy';

describe('taxonomy', () => {
  it("contains ACLED's event types with their sub-event types", () => {
    expect(Object.keys(TAXONOMY.BATTLES.subCategories)).toEqual(['ARMED_CLASH', 'GOVERNMENT_REGAINS_TERRITORY', 'NON_STATE_ACTOR_OVERTAKES_TERRITORY']);
    expect(Object.keys(TAXONOMY.EXPLOSIONS_REMOTE_VIOLENCE.subCategories)).toEqual(
      expect.arrayContaining(['AIR_DRONE_STRIKE', 'SHELLING_ARTILLERY_MISSILE_ATTACK', 'REMOTE_EXPLOSIVE_LANDMINE_IED', 'SUICIDE_BOMB', 'GRENADE', 'CHEMICAL_WEAPON']),
    );
    expect(Object.keys(TAXONOMY.VIOLENCE_AGAINST_CIVILIANS.subCategories)).toEqual(['SEXUAL_VIOLENCE', 'ATTACK', 'ABDUCTION_FORCED_DISAPPEARANCE']);
    for (const acled of ['PROTESTS', 'RIOTS', 'STRATEGIC_DEVELOPMENTS']) expect(categorySpec(acled)?.origin).toBe('ACLED');
  });

  it('extends them with border crime', () => {
    expect(Object.keys(TAXONOMY.SMUGGLING.subCategories)).toEqual(expect.arrayContaining(['ARMS', 'DRUGS', 'FUEL', 'CATTLE', 'GOODS', 'GOLD', 'MEDICINES']));
    for (const category of ['MIGRANT_SMUGGLING', 'HUMAN_TRAFFICKING', 'IRREGULAR_CROSSING', 'DOCUMENT_FRAUD', 'KIDNAPPING', 'ARMED_GROUP_MOVEMENT']) {
      expect(categorySpec(category)?.origin).toBe('VIGIE');
    }
    expect(subCategorySpec('KIDNAPPING', 'FOR_RANSOM')).toBeDefined();
  });

  it('requires a commodity for smuggling only', () => {
    expect(CATEGORIES.filter((c) => categorySpec(c)!.requiresCommodity)).toEqual(['SMUGGLING']);
  });

  it('weighs every sub-category between 0 and 1, with labels in French and English', () => {
    for (const category of CATEGORIES) {
      const spec = categorySpec(category)!;
      expect(spec.label.fr && spec.label.en).toBeTruthy();
      expect(category).toMatch(/^[A-Z][A-Z_]*$/);
      for (const [name, sub] of Object.entries(spec.subCategories)) {
        expect(name).toMatch(/^[A-Z][A-Z_]*$/);
        expect(sub.severity).toBeGreaterThanOrEqual(0);
        expect(sub.severity).toBeLessThanOrEqual(1);
        expect(sub.label.fr && sub.label.en).toBeTruthy();
      }
    }
  });

  it('ranks lethal violence above routine border offences', () => {
    expect(severityOf('EXPLOSIONS_REMOTE_VIOLENCE', 'SUICIDE_BOMB')).toBeGreaterThan(severityOf('SMUGGLING', 'ARMS'));
    expect(severityOf('SMUGGLING', 'ARMS')).toBeGreaterThan(severityOf('SMUGGLING', 'GOODS'));
    expect(severityOf('KIDNAPPING', 'MASS_ABDUCTION')).toBeGreaterThan(severityOf('IRREGULAR_CROSSING', 'INDIVIDUAL'));
    expect(severityOf('PROTESTS', 'PEACEFUL_PROTEST')).toBeLessThan(0.2);
  });

  it('gives pairs it does not know the middle weight, and is not fooled by prototype names', () => {
    expect(UNKNOWN_SEVERITY).toBe(0.5);
    expect(severityOf('SMUGGLING', 'WILDLIFE')).toBe(0.5);
    expect(severityOf('PIRACY', 'ARMS')).toBe(0.5);
    expect(categorySpec('toString')).toBeUndefined();
    expect(categorySpec('__proto__')).toBeUndefined();
    expect(subCategorySpec('SMUGGLING', 'constructor')).toBeUndefined();
  });
});
